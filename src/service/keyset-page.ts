import type { PagePosition } from "../domain/page-token.js";
import type { PageCursor } from "../store/page-cursor.js";

/**
 * A row's place in a walk: its pk, or on a walk keyed by a column first, the
 * column's value and then the pk (ties on the value broken by the pk).
 */
export interface WalkKey {
  pk: number;
  value?: number;
}

/** A store that lists rows in key order from a cursor. */
export interface KeysetSource<T extends WalkKey> {
  /** Up to `limit` rows beyond the cursor, nearest first. */
  findPage(cursor: PageCursor, limit: number): Promise<T[]>;
  /** Whether any row lies beyond the cursor. */
  existsBeyond(cursor: PageCursor): Promise<boolean>;
}

/**
 * How many of a page's rows (in key order) fit its byte budget, counted from
 * the cursor's side: from the first row, or with `fromEnd` from the last. At
 * least one of a non-empty list.
 */
export type PageFit<T> = (rows: readonly T[], fromEnd: boolean) => Promise<number>;

/** One page of a walk. */
export interface KeysetPage<T> {
  rows: T[];
  hasPrev: boolean;
  hasNext: boolean;
  /** 1-based position in the walk; 0 when nothing matches. */
  page: number;
  /**
   * What the page's token carries; unset when nothing matches. Past the end
   * of the walk (no rows, but rows before) its first key lies just after its
   * last (`firstPk > lastPk`, equal values): the prior page from it holds the
   * last `size` rows, the next one is this empty page.
   */
  position?: PagePosition;
}

/**
 * Reads the page after (or, with `prior`, before) the one `position`
 * describes, or the first page without a position. Each step is one keyset
 * query for `size + 1` rows plus one existence probe, so its cost does not
 * depend on how deep the walk is. Going back past the first row starts over
 * at the first page; walking off the end yields an empty page that still
 * says whether rows lie before it, numbered one after the last page.
 *
 * With `fit`, a page holds only the rows nearest its cursor that fit the
 * budget; the rest come on the next page in that direction (`hasNext`, or
 * `hasPrev` walking back), so no row is skipped or repeated, though walking
 * back may cut pages at other rows than walking forward did.
 */
export async function readKeysetPage<T extends WalkKey>(
  source: KeysetSource<T>,
  size: number,
  position: PagePosition | undefined,
  prior: boolean,
  fit?: PageFit<T>,
): Promise<KeysetPage<T>> {
  const fitting = async (rows: T[], fromEnd: boolean) => (fit === undefined ? rows.length : fit(rows, fromEnd));
  const firstPage = async (): Promise<KeysetPage<T>> => {
    const rows = await source.findPage({ direction: "forward" }, size + 1);
    if (rows.length === 0) return { rows: [], hasPrev: false, hasNext: false, page: 0 };
    const page = rows.slice(0, size);
    const kept = page.slice(0, await fitting(page, false));
    return pageOf(kept, false, rows.length > kept.length, 1);
  };
  if (position === undefined) return firstPage();

  if (prior) {
    const rows = await source.findPage(before(position.firstPk, position.firstValue), size + 1);
    const page = rows.slice(0, size).reverse();
    const kept = page.slice(page.length - (await fitting(page, true)));
    if (kept.length === rows.length) {
      // Everything before the cursor fits on one page: the first. Under a
      // budget, exactly those rows, as the first page read forward may end
      // elsewhere and repeat rows after the cursor.
      if (fit === undefined || kept.length === 0) return firstPage();
      const hasNext = await source.existsBeyond(after(kept.at(-1)!.pk, kept.at(-1)!.value));
      return pageOf(kept, false, hasNext, 1);
    }
    const hasNext = await source.existsBeyond(after(kept.at(-1)!.pk, kept.at(-1)!.value));
    return pageOf(kept, true, hasNext, Math.max(position.page - 1, 2));
  }

  const rows = await source.findPage(after(position.lastPk, position.lastValue), size + 1);
  if (rows.length === 0) return pastTheEnd(source, position);
  const page = rows.slice(0, size);
  const kept = page.slice(0, await fitting(page, false));
  const hasPrev = await source.existsBeyond(before(kept[0]!.pk, kept[0]!.value));
  return pageOf(kept, hasPrev, rows.length > kept.length, hasPrev ? position.page + 1 : 1);
}

const after = (pk: number, value: number | undefined): PageCursor =>
  value === undefined ? { direction: "forward", afterPk: pk } : { direction: "forward", afterPk: pk, afterValue: value };
const before = (pk: number, value: number | undefined): PageCursor =>
  value === undefined ? { direction: "backward", beforePk: pk } : { direction: "backward", beforePk: pk, beforeValue: value };

function pageOf<T extends WalkKey>(rows: T[], hasPrev: boolean, hasNext: boolean, page: number): KeysetPage<T> {
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const position: PagePosition = { firstPk: first.pk, lastPk: last.pk, page };
  if (first.value !== undefined && last.value !== undefined) Object.assign(position, { firstValue: first.value, lastValue: last.value });
  return { rows, hasPrev, hasNext, page, position };
}

// Nothing lies after the position. When rows lie before it, the empty page
// keeps its place after them, so the client can step back to the last rows;
// following its token forward again answers the same page (and number).
// On a walk keyed by a value, the place just after the last row has the same
// value and the next pk, so comparing pks still tells the two apart.
async function pastTheEnd<T extends WalkKey>(source: KeysetSource<T>, position: PagePosition): Promise<KeysetPage<T>> {
  const hasPrev = await source.existsBeyond(before(position.lastPk + 1, position.lastValue));
  if (!hasPrev) return { rows: [], hasPrev: false, hasNext: false, page: 0 };
  // A page's first key never lies after its last: with equal values its pk is not the larger.
  const beyondAlready = position.firstValue === position.lastValue && position.firstPk > position.lastPk;
  const page = beyondAlready ? position.page : position.page + 1;
  const beyond: PagePosition = { firstPk: position.lastPk + 1, lastPk: position.lastPk, page };
  if (position.lastValue !== undefined) Object.assign(beyond, { firstValue: position.lastValue, lastValue: position.lastValue });
  return { rows: [], hasPrev: true, hasNext: false, page, position: beyond };
}
