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
  /** 1-based position in the walk; 0 for an empty page. */
  page: number;
}

/**
 * Reads the page after (or, with `prior`, before) the one `position`
 * describes, or the first page without a position. Each step is one keyset
 * query for `size + 1` rows plus one existence probe, so its cost does not
 * depend on how deep the walk is. Going back past the first row starts over
 * at the first page; walking off the end yields an empty page.
 */
export async function readKeysetPage<T extends { pk: number }>(
  source: KeysetSource<T>,
  size: number,
  position: PagePosition | undefined,
  prior: boolean,
): Promise<KeysetPage<T>> {
  const firstPage = async (): Promise<KeysetPage<T>> => {
    const rows = await source.findPage({ direction: "forward" }, size + 1);
    return { rows: rows.slice(0, size), hasPrev: false, hasNext: rows.length > size, page: rows.length === 0 ? 0 : 1 };
  };
  if (position === undefined) return firstPage();

  if (prior) {
    const rows = await source.findPage({ direction: "backward", beforePk: position.firstPk }, size + 1);
    if (rows.length <= size) return firstPage();
    const page = rows.slice(0, size).reverse();
    const hasNext = await source.existsBeyond({ direction: "forward", afterPk: page.at(-1)!.pk });
    return { rows: page, hasPrev: true, hasNext, page: Math.max(position.page - 1, 2) };
  }

  const rows = await source.findPage({ direction: "forward", afterPk: position.lastPk }, size + 1);
  if (rows.length === 0) return { rows: [], hasPrev: false, hasNext: false, page: 0 };
  const page = rows.slice(0, size);
  const hasPrev = await source.existsBeyond({ direction: "backward", beforePk: page[0]!.pk });
  return { rows: page, hasPrev, hasNext: rows.length > size, page: hasPrev ? position.page + 1 : 1 };
}
