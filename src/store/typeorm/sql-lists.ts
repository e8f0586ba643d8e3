/** Splits a list into consecutive parts of at most `size` items, to bound statement sizes. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** `?, ?, …` for n values. */
export function marks(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/** `(?, ?), (?, ?), …` for `rows` rows of `columns` values. */
export function rowMarks(rows: number, columns: number): string {
  const row = `(${marks(columns)})`;
  return Array.from({ length: rows }, () => row).join(", ");
}

/**
 * Most values in one `IN (…)` list matched through an index other than the
 * primary key (or a prefix of a composite one). Up to MySQL's and MariaDB's
 * `eq_range_index_dive_limit` (200 by default) the optimizer counts each
 * value's rows in the index itself; above it, it trusts the table's
 * statistics, which a bulk load or a mass deletion leaves far off for a
 * while, and then reads the whole index (or table) for every statement: a
 * full scan per batch of a termination job.
 */
export const indexListLimit = 200;

/** Most values in one `IN (…)` list of primary key values, each known to match at most one row. */
export const keyListLimit = 1000;
