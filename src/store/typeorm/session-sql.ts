import { displayNamePrefixRange } from "../../domain/display-name-key.js";
import type { SessionFilter } from "../../domain/session-filter.js";
import type { PageCursor } from "../session-store.js";
import { conditions, type Conditions } from "./sql-conditions.js";

/**
 * The FROM and WHERE of a filtered session query, and the column that orders
 * it. With a client filter the query is driven by
 * session_clients(client_id, session_pk), whose rows are already in session
 * order; otherwise by the sessions table and whichever of its indexes fits.
 */
export interface SessionSelection {
  from: string;
  where: Conditions;
  /** The insertion-ordered key to page on (s.id or its copy c.session_pk). */
  orderKey: string;
}

/**
 * Builds the selection for a filter, with the keyset bound of a cursor if
 * one is given; `order` is the ORDER BY direction that reads away from it.
 * Without `sessionColumns` (counting, probing) a client-only filter reads
 * session_clients alone: every link belongs to an existing session, and the
 * index then answers without a lookup per row.
 */
export function selectSessions(
  filter: SessionFilter,
  cursor?: PageCursor,
  sessionColumns = true,
): SessionSelection & { order: "ASC" | "DESC" } {
  const where = conditions();
  let from = "server_side_sessions s";
  let orderKey = "s.id";
  if (filter.clientId !== undefined) {
    const clientOnly = filter.subjectId === undefined && filter.sessionId === undefined && filter.displayNamePrefix === undefined;
    from = clientOnly && !sessionColumns ? "session_clients c" : "session_clients c INNER JOIN server_side_sessions s ON s.id = c.session_pk";
    orderKey = "c.session_pk";
    where.equals("c.client_id", filter.clientId);
  }
  where.equals("s.subject_id", filter.subjectId).equals("s.session_id", filter.sessionId);
  if (filter.displayNamePrefix !== undefined) {
    const range = displayNamePrefixRange(filter.displayNamePrefix);
    where.add("s.display_name_key >= ?", range.from);
    if (range.to !== undefined) where.add("s.display_name_key < ?", range.to);
  }
  if (cursor?.direction === "backward") {
    where.add(`${orderKey} < ?`, cursor.beforePk);
    return { from, where, orderKey, order: "DESC" };
  }
  if (cursor?.afterPk !== undefined) where.add(`${orderKey} > ?`, cursor.afterPk);
  return { from, where, orderKey, order: "ASC" };
}
