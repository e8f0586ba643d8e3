import type { PageCursor } from "../page-cursor.js";
import type { Conditions } from "./sql-conditions.js";

/**
 * Adds a cursor's bound on an insertion-ordered key to `where` and returns
 * the ORDER BY direction that reads away from the cursor, nearest first.
 */
export function keysetBound(where: Conditions, column: string, cursor: PageCursor): "ASC" | "DESC" {
  if (cursor.direction === "backward") {
    where.add(`${column} < ?`, cursor.beforePk);
    return "DESC";
  }
  if (cursor.afterPk !== undefined) where.add(`${column} > ?`, cursor.afterPk);
  return "ASC";
}
