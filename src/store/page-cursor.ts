/**
 * Where a keyset page starts: after a row (forward, ascending), or before one
 * (backward, descending). A forward cursor without `afterPk` starts at the
 * oldest row. On a walk keyed by a column and then the pk (a session walk
 * over a time index), `afterValue`/`beforeValue` hold the row's column value
 * (milliseconds); without it the cursor bounds the pk alone.
 */
export type PageCursor =
  | { direction: "forward"; afterPk?: number; afterValue?: number }
  | { direction: "backward"; beforePk: number; beforeValue?: number };
