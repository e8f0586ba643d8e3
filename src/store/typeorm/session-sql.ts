import { displayNamePrefixRange } from "../../domain/display-name-key.js";
import type { SessionFilter, TimeRange } from "../../domain/session-filter.js";
import { neverExpires, walkIncludesNeverExpiring, type SessionWalk, type WalkColumn } from "../../domain/session-walk.js";
import type { PageCursor } from "../session-store.js";
import { mysqlDialect, type Dialect } from "./dialect.js";
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
 * index then answers without a lookup per row. Times and texts are bound
 * as `dialect` stores them (MySQL unless said otherwise).
 */
export function selectSessions(
  filter: SessionFilter,
  cursor?: PageCursor,
  sessionColumns = true,
  dialect: Dialect = mysqlDialect,
): SessionSelection & { order: "ASC" | "DESC" } {
  const where = conditions();
  let from = "server_side_sessions s";
  let orderKey = "s.id";
  if (filter.clientId !== undefined) {
    const clientOnly = !filtersSessionColumns(filter);
    from = clientOnly && !sessionColumns ? "session_clients c" : "session_clients c INNER JOIN server_side_sessions s ON s.id = c.session_pk";
    orderKey = "c.session_pk";
    where.equals("c.client_id", filter.clientId);
  }
  addSessionConditions(where, filter, dialect);
  if (cursor?.direction === "backward") {
    where.add(`${orderKey} < ?`, cursor.beforePk);
    return { from, where, orderKey, order: "DESC" };
  }
  if (cursor?.afterPk !== undefined) where.add(`${orderKey} > ?`, cursor.afterPk);
  return { from, where, orderKey, order: "ASC" };
}

// Whether the filter looks at any column of server_side_sessions.
function filtersSessionColumns(filter: SessionFilter): boolean {
  const { clientId: _client, now: _now, ...sessionFields } = filter;
  return Object.values(sessionFields).some((value) => value !== undefined);
}

/** One statement's FROM, WHERE and ORDER BY (nearest the cursor first). */
export interface WalkStatement {
  from: string;
  where: Conditions;
  orderBy: string;
}

/**
 * The rows of a walk (see sessionWalkOf) beyond a cursor, as the statements
 * that read them nearest first, to be read one after another until a page is
 * full: one, except on a walk over expiry times that holds the sessions that
 * never expire (see walkIncludesNeverExpiring), which reads the expiring ones
 * and then those. `sessionColumns` as for selectSessions.
 */
export function selectSessionWalk(
  filter: SessionFilter,
  walk: SessionWalk,
  cursor: PageCursor,
  sessionColumns: boolean,
  dialect: Dialect = mysqlDialect,
): WalkStatement[] {
  if (walk === "id") {
    const { from, where, orderKey, order } = selectSessions(filter, cursor, sessionColumns, dialect);
    return [{ from, where, orderBy: `${orderKey} ${order}` }];
  }
  if (!walkIncludesNeverExpiring(filter, walk)) return [selectSessionsByTime(filter, walk, cursor, dialect)];
  const expiring = (c: PageCursor) => selectSessionsByTime(filter, "expires", c, dialect);
  const never = (c: PageCursor) => selectSessionsByTime(filter, "expires", c, dialect, true);
  if (cursor.direction === "forward") {
    if (cursor.afterValue === neverExpires) return [never(cursor)];
    return [expiring(cursor), never({ direction: "forward" })];
  }
  if (cursor.beforeValue === undefined || cursor.beforeValue === neverExpires) {
    return [never(cursor), expiring({ direction: "backward", beforePk: Number.MAX_SAFE_INTEGER })];
  }
  return [expiring(cursor)];
}

const timeIndexes: Record<WalkColumn, string> = {
  created: "IDX_sessions_created",
  renewed: "IDX_sessions_renewed",
  expires: "IDX_sessions_expires",
};

/**
 * The selection of a walk over a time column's index in (column, id) order
 * (see sessionWalkOf): the index is the one the query reads, from the range's
 * start (or the cursor) on, every other filter checked on its rows, a client
 * through its link. InnoDB's secondary indexes end with the primary key and
 * SQLite's with the rowid, so the index is already in (column, id) order and
 * the page is read without sorting. A cursor without a value bounds the id
 * alone (the far end of a walk read backwards).
 */
export function selectSessionsByTime(
  filter: SessionFilter,
  column: WalkColumn,
  cursor: PageCursor,
  dialect: Dialect,
  neverExpiring = false,
): WalkStatement {
  const where = conditions();
  if (filter.clientId !== undefined) {
    where.add("EXISTS (SELECT 1 FROM session_clients c WHERE c.session_pk = s.id AND c.client_id = ?)", filter.clientId);
  }
  addSessionConditions(where, filter, dialect);
  const from = `server_side_sessions s${dialect.useIndex(timeIndexes[column])}`;
  if (neverExpiring) {
    // The NULL entries of the expiry index, in id order.
    where.add("s.expires IS NULL");
    if (cursor.direction === "backward") return { from, where: where.add("s.id < ?", cursor.beforePk), orderBy: "s.id DESC" };
    if (cursor.afterPk !== undefined) where.add("s.id > ?", cursor.afterPk);
    return { from, where, orderBy: "s.id ASC" };
  }
  // Active sessions that expire: the range starts at now.
  if (column === "expires" && filter.state === "active") where.add("s.expires > ?", dialect.time(filter.now ?? new Date()));
  const col = `s.${column}`;
  // `col >= v AND (col > v OR id > k)` rather than `(col, id) > (v, k)`: both
  // engines read it as a range on the index starting at v.
  const keyset = (op: ">" | "<", value: number | undefined, pk: number) => {
    if (value === undefined) return void where.add(`s.id ${op} ?`, pk);
    const time = dialect.time(new Date(value));
    where.add(`${col} ${op}= ? AND (${col} ${op} ? OR s.id ${op} ?)`, time, time, pk);
  };
  let order: "ASC" | "DESC" = "ASC";
  if (cursor.direction === "backward") {
    keyset("<", cursor.beforeValue, cursor.beforePk);
    order = "DESC";
  } else if (cursor.afterPk !== undefined) {
    keyset(">", cursor.afterValue, cursor.afterPk);
  }
  return { from, where, orderBy: `${col} ${order}, s.id ${order}` };
}

// The filters on the sessions table's own columns. Subject, session id,
// issuer and the sign-in address have indexes whose rows are in id order; on
// a walk in id order the time ranges and the state are checked on the rows
// it reads (see docs/performance.md for what that costs).
function addSessionConditions(where: Conditions, filter: SessionFilter, dialect: Dialect): void {
  where.equals("s.subject_id", filter.subjectId).equals("s.session_id", filter.sessionId);
  if (filter.displayNamePrefix !== undefined) {
    const range = displayNamePrefixRange(filter.displayNamePrefix);
    where.add("s.display_name_key >= ?", range.from);
    if (range.to !== undefined) where.add("s.display_name_key < ?", range.to);
  }
  const range = (column: string, times: TimeRange | undefined) => {
    if (times?.from !== undefined) where.add(`${column} >= ?`, dialect.time(times.from));
    if (times?.to !== undefined) where.add(`${column} < ?`, dialect.time(times.to));
  };
  range("s.created", filter.created);
  range("s.renewed", filter.renewed);
  range("s.expires", filter.expires);
  if (filter.state !== undefined) {
    const now = dialect.time(filter.now ?? new Date());
    if (filter.state === "active") where.add("(s.expires IS NULL OR s.expires > ?)", now);
    else where.add("s.expires <= ?", now);
  }
  if (filter.issuer !== undefined) where.add(dialect.exactText("s.issuer"), filter.issuer, filter.issuer);
  if (filter.ipAddress !== undefined) {
    const { from, to } = filter.ipAddress;
    if (Buffer.compare(from, to) === 0) where.add("s.sign_in_ip_key = ?", Buffer.from(from));
    else where.add("s.sign_in_ip_key BETWEEN ? AND ?", Buffer.from(from), Buffer.from(to));
  }
}
