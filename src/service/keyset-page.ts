import type { PagePosition } from "../domain/page-token.js";
import type { PageCursor } from "../store/page-cursor.js";

/** A store that lists rows in key order from a cursor. */
export interface KeysetSource<T extends { pk: number }> {
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
   * of the walk (no rows, but rows before) it is `firstPk > lastPk`: the prior
   * page from it holds the last `size` rows, the next one is this empty page.
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
export async function readKeysetPage<T extends { pk: number }>(
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
    const rows = await source.findPage({ direction: "backward", beforePk: position.firstPk }, size + 1);
    const page = rows.slice(0, size).reverse();
    const kept = page.slice(page.length - (await fitting(page, true)));
    if (kept.length === rows.length) {
      // Everything before the cursor fits on one page: the first. Under a
      // budget, exactly those rows, as the first page read forward may end
      // elsewhere and repeat rows after the cursor.
      if (fit === undefined || kept.length === 0) return firstPage();
      const hasNext = await source.existsBeyond({ direction: "forward", afterPk: kept.at(-1)!.pk });
      return pageOf(kept, false, hasNext, 1);
    }
    const hasNext = await source.existsBeyond({ direction: "forward", afterPk: kept.at(-1)!.pk });
    return pageOf(kept, true, hasNext, Math.max(position.page - 1, 2));
  }

  const rows = await source.findPage({ direction: "forward", afterPk: position.lastPk }, size + 1);
  if (rows.length === 0) return pastTheEnd(source, position);
  const page = rows.slice(0, size);
  const kept = page.slice(0, await fitting(page, false));
  const hasPrev = await source.existsBeyond({ direction: "backward", beforePk: kept[0]!.pk });
  return pageOf(kept, hasPrev, rows.length > kept.length, hasPrev ? position.page + 1 : 1);
}

function pageOf<T extends { pk: number }>(rows: T[], hasPrev: boolean, hasNext: boolean, page: number): KeysetPage<T> {
  return { rows, hasPrev, hasNext, page, position: { firstPk: rows[0]!.pk, lastPk: rows.at(-1)!.pk, page } };
}

// Nothing lies after the position. When rows lie before it, the empty page
// keeps its place after them, so the client can step back to the last rows;
// following its token forward again answers the same page (and number).
async function pastTheEnd<T extends { pk: number }>(source: KeysetSource<T>, position: PagePosition): Promise<KeysetPage<T>> {
  const hasPrev = await source.existsBeyond({ direction: "backward", beforePk: position.lastPk + 1 });
  if (!hasPrev) return { rows: [], hasPrev: false, hasNext: false, page: 0 };
  const page = position.firstPk > position.lastPk ? position.page : position.page + 1;
  return { rows: [], hasPrev: true, hasNext: false, page, position: { firstPk: position.lastPk + 1, lastPk: position.lastPk, page } };
}
