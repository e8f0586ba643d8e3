import { displayNamePrefixRange } from "../../domain/display-name-key.js";
import type { SessionFilter } from "../../domain/session-filter.js";
import type { PageCursor } from "../session-store.js";

/**
 * The FROM and WHERE of a filtered session query, and the column that orders
 * it. With a client filter the query is driven by
 * session_clients(client_id, session_pk), whose rows are already in session
 * order; otherwise by the sessions table and whichever of its indexes fits.
 */
export interface SessionSelection {
  from: string;
  where: string[];
  params: unknown[];
  /** The insertion-ordered key to page on (s.id or its copy c.session_pk). */
  orderKey: string;
}

/** Builds the selection for a filter. All values are bound, never spliced. */
export function selectSessions(filter: SessionFilter): SessionSelection {
  const where: string[] = [];
  const params: unknown[] = [];
  let from = "server_side_sessions s";
  let orderKey = "s.id";
  if (filter.clientId !== undefined) {
    from = "session_clients c INNER JOIN server_side_sessions s ON s.id = c.session_pk";
    orderKey = "c.session_pk";
    where.push("c.client_id = ?");
    params.push(filter.clientId);
  }
  if (filter.subjectId !== undefined) {
    where.push("s.subject_id = ?");
    params.push(filter.subjectId);
  }
  if (filter.sessionId !== undefined) {
    where.push("s.session_id = ?");
    params.push(filter.sessionId);
  }
  if (filter.displayNamePrefix !== undefined) {
    const range = displayNamePrefixRange(filter.displayNamePrefix);
    where.push("s.display_name_key >= ?");
    params.push(range.from);
    if (range.to !== undefined) {
      where.push("s.display_name_key < ?");
      params.push(range.to);
    }
  }
  return { from, where, params, orderKey };
}

/** Adds the keyset bound of a cursor; returns the ORDER BY direction. */
export function withCursor(selection: SessionSelection, cursor: PageCursor): { selection: SessionSelection; order: "ASC" | "DESC" } {
  const where = [...selection.where];
  const params = [...selection.params];
  if (cursor.direction === "forward") {
    if (cursor.afterPk !== undefined) {
      where.push(`${selection.orderKey} > ?`);
      params.push(cursor.afterPk);
    }
    return { selection: { ...selection, where, params }, order: "ASC" };
  }
  where.push(`${selection.orderKey} < ?`);
  params.push(cursor.beforePk);
  return { selection: { ...selection, where, params }, order: "DESC" };
}

/** `WHERE a AND b …`, or nothing. */
export function whereSql(where: readonly string[]): string {
  return where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`;
}
