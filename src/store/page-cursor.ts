/**
 * Where a keyset page starts: after a row (forward, ascending), or before one
 * (backward, descending). A forward cursor without `afterPk` starts at the
 * oldest row.
 */
export type PageCursor = { direction: "forward"; afterPk?: number } | { direction: "backward"; beforePk: number };
