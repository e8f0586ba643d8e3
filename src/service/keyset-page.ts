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
  /** 1-based position in the walk; 0 for an empty page. */
  page: number;
}

/**
 * Reads the page after (or, with `prior`, before) the one `position`
 * describes, or the first page without a position. Each step is one keyset
 * query for `size + 1` rows plus one existence probe, so its cost does not
 * depend on how deep the walk is. Going back past the first row starts over
 * at the first page; walking off the end yields an empty page.
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
    const page = rows.slice(0, size);
    const kept = page.slice(0, await fitting(page, false));
    return { rows: kept, hasPrev: false, hasNext: rows.length > kept.length, page: kept.length === 0 ? 0 : 1 };
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
      return { rows: kept, hasPrev: false, hasNext, page: 1 };
    }
    const hasNext = await source.existsBeyond({ direction: "forward", afterPk: kept.at(-1)!.pk });
    return { rows: kept, hasPrev: true, hasNext, page: Math.max(position.page - 1, 2) };
  }

  const rows = await source.findPage({ direction: "forward", afterPk: position.lastPk }, size + 1);
  if (rows.length === 0) return { rows: [], hasPrev: false, hasNext: false, page: 0 };
  const page = rows.slice(0, size);
  const kept = page.slice(0, await fitting(page, false));
  const hasPrev = await source.existsBeyond({ direction: "backward", beforePk: kept[0]!.pk });
  return { rows: kept, hasPrev, hasNext: rows.length > kept.length, page: hasPrev ? position.page + 1 : 1 };
}
