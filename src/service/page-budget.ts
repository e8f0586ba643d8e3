import { rowsWithinBudget } from "../domain/page-budget.js";
import type { PageFit } from "./keyset-page.js";

/**
 * A PageFit for a byte budget: `sizesOf` gives each row's encoded size (it may
 * read sizes from the store without loading the rows' payloads).
 */
export function budgetFit<T>(budget: number, sizesOf: (rows: readonly T[]) => Promise<number[]> | number[]): PageFit<T> {
  return async (rows, fromEnd) => {
    if (rows.length === 0) return 0;
    const sizes = await sizesOf(rows);
    return rowsWithinBudget(fromEnd ? sizes.reverse() : sizes, budget);
  };
}

/**
 * What a row adds to a list response beyond its own encoding, at most: the
 * tags and length prefixes of the repeated field and of its payload.
 */
export const rowOverheadBytes = 16;
