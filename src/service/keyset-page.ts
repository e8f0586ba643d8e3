import type { PagePosition } from "../domain/page-token.js";
import type { PageCursor } from "../store/page-cursor.js";

/** A store that lists rows in key order from a cursor. */
export interface KeysetSource<T extends { pk: number }> {
  /** Up to `limit` rows beyond the cursor, nearest first. */
  findPage(cursor: PageCursor, limit: number): Promise<T[]>;
  /** Whether any row lies beyond the cursor. */
  existsBeyond(cursor: PageCursor): Promise<boolean>;
}

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
 */
export async function readKeysetPage<T extends { pk: number }>(
  source: KeysetSource<T>,
  size: number,
  position: PagePosition | undefined,
  prior: boolean,
): Promise<KeysetPage<T>> {
  const firstPage = async (): Promise<KeysetPage<T>> => {
    const rows = await source.findPage({ direction: "forward" }, size + 1);
    if (rows.length === 0) return { rows: [], hasPrev: false, hasNext: false, page: 0 };
    return pageOf(rows.slice(0, size), false, rows.length > size, 1);
  };
  if (position === undefined) return firstPage();

  if (prior) {
    const rows = await source.findPage({ direction: "backward", beforePk: position.firstPk }, size + 1);
    if (rows.length <= size) return firstPage();
    const page = rows.slice(0, size).reverse();
    const hasNext = await source.existsBeyond({ direction: "forward", afterPk: page.at(-1)!.pk });
    return pageOf(page, true, hasNext, Math.max(position.page - 1, 2));
  }

  const rows = await source.findPage({ direction: "forward", afterPk: position.lastPk }, size + 1);
  if (rows.length === 0) return pastTheEnd(source, position);
  const page = rows.slice(0, size);
  const hasPrev = await source.existsBeyond({ direction: "backward", beforePk: page[0]!.pk });
  return pageOf(page, hasPrev, rows.length > size, hasPrev ? position.page + 1 : 1);
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
