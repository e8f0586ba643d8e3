/**
 * How many rows of these sizes, taken in order, add up to at most `budget`
 * bytes. At least one of a non-empty list: a row larger than the whole budget
 * (stored before limits applied, or under a larger limit) makes a page of its
 * own, so that a walk always moves on.
 */
export function rowsWithinBudget(sizes: readonly number[], budget: number): number {
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    total += sizes[i]!;
    if (total > budget) return Math.max(i, 1);
  }
  return sizes.length;
}
