import { DomainError } from "../../domain/errors.js";
import type { NewSession, SessionChanges, SessionRecord, StoredSession } from "../../domain/session.js";
import type { SessionFilter } from "../../domain/session-filter.js";
import type { SessionWalk } from "../../domain/session-walk.js";
import { displayNameKey } from "../../domain/display-name-key.js";
import { parseIpAddress } from "../../domain/ip-address.js";
import { lastSeenIsNews, mergeAttributes, type SessionMetadata } from "../../domain/session-metadata.js";
import type { TerminatedSession } from "../../domain/termination-plan.js";
import type { PageCursor, SessionStore, TerminationSelector } from "../session-store.js";
import type { Dialect } from "./dialect.js";
import { isDuplicateKeyError } from "./driver-errors.js";
import { selectSessions, selectSessionWalk } from "./session-sql.js";
import { conditions, type Conditions } from "./sql-conditions.js";
import type { SqlExecutor } from "./sql-executor.js";
import { chunks, indexListLimit, keyListLimit, marks, rowMarks } from "./sql-lists.js";

const sessionColumns =
  "s.id, s.session_key, s.scheme, s.subject_id, s.session_id, s.display_name, s.issuer, s.created, s.renewed, s.expires, " +
  "s.sign_in_ip, s.sign_in_user_agent, s.last_seen_ip, s.last_seen_user_agent, s.last_seen, s.amr, s.acr, s.attributes";

// A session by key with its client links, in one round trip: the links
// come as rows of their own (NULL in the session's columns), so that the
// session's columns and ticket are sent once however many clients it has.
const sessionByKeyWithClients =
  `SELECT 0 AS part, ${sessionColumns}, s.ticket, NULL AS client_id FROM server_side_sessions s WHERE s.session_key = ? ` +
  `UNION ALL SELECT 1, ${sessionColumns.split(", ").map(() => "NULL").join(", ")}, NULL, c.client_id ` +
  "FROM session_clients c INNER JOIN server_side_sessions s ON s.id = c.session_pk WHERE s.session_key = ?";

/** The session store on TypeORM's connection, in portable SQL. */
export function createSessionStore(sql: SqlExecutor, dialect: Dialect): SessionStore {
  const clientsOf = async (pks: readonly number[]): Promise<Map<number, string[]>> => {
    const byPk = new Map<number, string[]>();
    for (const part of chunks(pks, indexListLimit)) {
      const rows = await sql.rows<{ session_pk: unknown; client_id: unknown }>(
        `SELECT session_pk, client_id FROM session_clients WHERE session_pk IN (${marks(part.length)})`,
        part,
      );
      for (const row of rows) {
        const pk = dialect.readPk(row.session_pk);
        const list = byPk.get(pk) ?? [];
        list.push(dialect.readText(row.client_id));
        byPk.set(pk, list);
      }
    }
    for (const list of byPk.values()) list.sort();
    return byPk;
  };

  const withClients = async (rows: readonly TerminatedRow[]): Promise<TerminatedSession[]> => {
    const sessions = rows.map((row) => ({
      pk: dialect.readPk(row.id),
      subjectId: dialect.readText(row.subject_id),
      sessionId: optionalText(row.session_id, dialect),
      issuer: optionalText(row.issuer, dialect),
      clientIds: [] as string[],
    }));
    const clients = await clientsOf(sessions.map((s) => s.pk));
    for (const session of sessions) session.clientIds = clients.get(session.pk) ?? [];
    return sessions;
  };

  // Links a session to clients; with `ifAbsent`, links it already has are kept.
  const addClients = async (pk: number, clientIds: readonly string[], ifAbsent = false): Promise<void> => {
    const columns = ["session_pk", "client_id"];
    // Both dialects end the statement with the VALUES row, so more rows can follow it.
    const head = ifAbsent ? dialect.insertIfAbsent("session_clients", columns) : `INSERT INTO session_clients (session_pk, client_id) VALUES (?, ?)`;
    for (const part of chunks([...new Set(clientIds)], 500)) {
      const more = part.length > 1 ? `, ${rowMarks(part.length - 1, 2)}` : "";
      await sql.run(`${head}${more}`, part.flatMap((clientId) => [pk, clientId]));
    }
  };

  return {
    async findPage(filter: SessionFilter, cursor: PageCursor, limit: number, walk: SessionWalk = "id"): Promise<StoredSession[]> {
      const rows: (SessionRow & MetadataRow)[] = [];
      for (const { from, where, orderBy } of selectSessionWalk(filter, walk, cursor, true, dialect)) {
        if (rows.length >= limit) break;
        rows.push(
          ...(await sql.rows<SessionRow & MetadataRow>(`SELECT ${sessionColumns} FROM ${from}${where.whereSql()} ORDER BY ${orderBy} LIMIT ?`, [
            ...where.params,
            limit - rows.length,
          ])),
        );
      }
      const sessions = rows.map((row) => toSession(row, dialect));
      const clients = await clientsOf(sessions.map((s) => s.pk));
      for (const session of sessions) session.clientIds = clients.get(session.pk) ?? [];
      return sessions;
    },

    async existsBeyond(filter: SessionFilter, cursor: PageCursor, walk: SessionWalk = "id"): Promise<boolean> {
      for (const { from, where } of selectSessionWalk(filter, walk, cursor, false, dialect)) {
        if ((await sql.rows(`SELECT 1 AS found FROM ${from}${where.whereSql()} LIMIT 1`, where.params)).length > 0) return true;
      }
      return false;
    },

    async count(filter: SessionFilter, upTo?: number): Promise<number> {
      const { from, where } = selectSessions(filter, undefined, false, dialect);
      const matching = `FROM ${from}${where.whereSql()}`;
      const rows =
        upTo === undefined
          ? await sql.rows<{ n: unknown }>(`SELECT COUNT(*) AS n ${matching}`, where.params)
          : await sql.rows<{ n: unknown }>(`SELECT COUNT(*) AS n FROM (SELECT 1 AS one ${matching} LIMIT ?) bounded`, [
              ...where.params,
              upTo,
            ]);
      return Number(rows[0]?.n ?? 0);
    },

    async findForTermination(selector: TerminationSelector): Promise<TerminatedSession[]> {
      const where = conditions()
        .equals("subject_id", selector.subjectId)
        .equals("session_id", selector.sessionId)
        .equals("session_key", selector.key);
      if (where.list.length === 0) throw new Error("findForTermination needs a subject id, session id or key");
      return withClients(
        await sql.rows<TerminatedRow>(
          `SELECT id, subject_id, session_id, issuer FROM server_side_sessions${where.whereSql()} ORDER BY id${dialect.forUpdate}`,
          where.params,
        ),
      );
    },

    async findBatchForTermination(filter: SessionFilter, afterPk: number, lastPk: number | undefined, limit: number): Promise<TerminatedSession[]> {
      const { from, where, orderKey } = selectSessions(filter, { direction: "forward", afterPk }, true, dialect);
      if (lastPk !== undefined) where.add(`${orderKey} <= ?`, lastPk);
      return withClients(
        await sql.rows<TerminatedRow>(
          `SELECT s.id, s.subject_id, s.session_id, s.issuer FROM ${from}${where.whereSql()} ORDER BY ${orderKey} LIMIT ?${dialect.forUpdate}`,
          [...where.params, limit],
        ),
      );
    },

    async newestPk(): Promise<number> {
      const [row] = await sql.rows<{ id: unknown }>("SELECT MAX(id) AS id FROM server_side_sessions");
      return row?.id === null || row?.id === undefined ? 0 : dialect.readPk(row.id);
    },

    async claimExpired(now: Date, limit: number): Promise<TerminatedSession[]> {
      // (expires, id) is the order of IDX_sessions_expires, so the claim reads
      // and locks only the rows it takes. Ordering by id alone would make each
      // claim either scan live sessions from the start of the table or read
      // and lock every expired one to sort them, which defeats SKIP LOCKED.
      const rows = await sql.rows<TerminatedRow>(
        `SELECT id, subject_id, session_id, issuer FROM server_side_sessions WHERE expires < ? ORDER BY expires, id LIMIT ?${dialect.forUpdateSkipLocked}`,
        [dialect.time(now), limit],
      );
      const sessions = await withClients(rows);
      return sessions.sort((a, b) => a.pk - b.pk);
    },

    async deleteByPks(pks: readonly number[]): Promise<number> {
      // session_pk is a prefix of session_clients' primary key, not all of it.
      for (const part of chunks(pks, indexListLimit)) {
        await sql.run(`DELETE FROM session_clients WHERE session_pk IN (${marks(part.length)})`, part);
      }
      let deleted = 0;
      for (const part of chunks(pks, keyListLimit)) {
        deleted += await sql.run(`DELETE FROM server_side_sessions WHERE id IN (${marks(part.length)})`, part);
      }
      return deleted;
    },

    async create(session: NewSession): Promise<number> {
      const metadata = session.metadata ?? { amr: [], attributes: {}, lastSeen: session.created };
      let pk: number;
      try {
        pk = await sql.insert(
          `INSERT INTO server_side_sessions (session_key, scheme, subject_id, session_id, display_name, display_name_key, issuer, created, renewed, expires, ticket, ${metadataColumns.join(", ")}) VALUES (${marks(11 + metadataColumns.length)})`,
          [
            session.key,
            session.scheme,
            session.subjectId,
            session.sessionId ?? null,
            session.displayName ?? null,
            session.displayName === undefined ? null : displayNameKey(session.displayName),
            session.issuer ?? null,
            dialect.time(session.created),
            dialect.time(session.renewed),
            session.expires ? dialect.time(session.expires) : null,
            Buffer.from(session.ticket),
            ...metadataValues(metadata, dialect),
          ],
        );
      } catch (error) {
        throw isDuplicateKeyError(error) ? new DomainError("already_exists", "a session with this key already exists") : error;
      }
      await addClients(pk, session.clientIds);
      return pk;
    },

    async findByKey(key: string): Promise<SessionRecord | undefined> {
      // One statement: the session's row (part 0), then one row per client it is linked to (part 1).
      const rows = await sql.rows<SessionRow & MetadataRow & { part: unknown; ticket: unknown; client_id: unknown }>(sessionByKeyWithClients, [key, key]);
      let row: (typeof rows)[number] | undefined;
      const clientIds: string[] = [];
      for (const each of rows) {
        if (Number(each.part) === 0) row = each;
        else clientIds.push(dialect.readText(each.client_id));
      }
      if (row === undefined) return undefined;
      return { ...toSession(row, dialect), clientIds: clientIds.sort(), ticket: Buffer.from(row.ticket as Uint8Array) };
    },

    async ticketsOf(pks: readonly number[]): Promise<Map<number, Uint8Array>> {
      const tickets = new Map<number, Uint8Array>();
      for (const part of chunks(pks, 500)) {
        const rows = await sql.rows<{ id: unknown; ticket: unknown }>(
          `SELECT id, ticket FROM server_side_sessions WHERE id IN (${marks(part.length)})`,
          part,
        );
        for (const row of rows) tickets.set(dialect.readPk(row.id), Buffer.from(row.ticket as Uint8Array));
      }
      return tickets;
    },

    async ticketSizesOf(pks: readonly number[]): Promise<Map<number, number>> {
      const sizes = new Map<number, number>();
      for (const part of chunks(pks, 500)) {
        const rows = await sql.rows<{ id: unknown; bytes: unknown }>(
          `SELECT id, LENGTH(ticket) AS bytes FROM server_side_sessions WHERE id IN (${marks(part.length)})`,
          part,
        );
        for (const row of rows) sizes.set(dialect.readPk(row.id), Number(row.bytes));
      }
      return sizes;
    },

    async update(key: string, changes: SessionChanges): Promise<boolean> {
      // A change that neither depends on what is stored (last seen,
      // attributes) nor touches the client links (which need the row's id)
      // is one UPDATE by key; it matched the session if the session exists
      // (the driver reports matched rows, not changed ones: FOUND_ROWS).
      if (changes.lastSeen === undefined && changes.attributes === undefined && changes.clientIds === undefined) {
        const set = plainChanges(changes, dialect);
        if (set.list.length > 0) {
          return (await sql.run(`UPDATE server_side_sessions SET ${set.list.join(", ")} WHERE session_key = ?`, [...set.params, key])) > 0;
        }
      }
      const [row] = await sql.rows<{ id: unknown } & MetadataRow>(
        `SELECT id, last_seen_ip, last_seen_user_agent, last_seen, attributes FROM server_side_sessions WHERE session_key = ?${dialect.forUpdate}`,
        [key],
      );
      if (row === undefined) return false;
      const pk = dialect.readPk(row.id);
      const set = conditions();
      const recorded = toMetadata(row, dialect);
      if (changes.lastSeen !== undefined && lastSeenIsNews(recorded, changes.lastSeen)) {
        if (changes.lastSeen.ip !== undefined) set.add("last_seen_ip = ?", changes.lastSeen.ip);
        if (changes.lastSeen.userAgent !== undefined) set.add("last_seen_user_agent = ?", changes.lastSeen.userAgent);
        set.add("last_seen = ?", dialect.time(changes.lastSeen.at));
      }
      if (changes.attributes !== undefined) set.add("attributes = ?", JSON.stringify(mergeAttributes(recorded.attributes, changes.attributes)));
      const plain = plainChanges(changes, dialect);
      const items = [...set.list, ...plain.list];
      if (items.length > 0) {
        await sql.run(`UPDATE server_side_sessions SET ${items.join(", ")} WHERE id = ?`, [...set.params, ...plain.params, pk]);
      }
      if (changes.clientIds?.replace) await sql.run("DELETE FROM session_clients WHERE session_pk = ?", [pk]);
      if (changes.clientIds !== undefined) await addClients(pk, changes.clientIds.ids, true);
      return true;
    },
  };
}

// The SET items of the changes that do not depend on what is stored.
function plainChanges(changes: SessionChanges, dialect: Dialect): Conditions {
  const set = conditions();
  if (changes.amr !== undefined) set.add("amr = ?", JSON.stringify(changes.amr));
  if (changes.acr !== undefined) set.add("acr = ?", changes.acr);
  if (changes.renewed !== undefined) set.add("renewed = ?", dialect.time(changes.renewed));
  if (changes.expires !== undefined) set.add("expires = ?", changes.expires === null ? null : dialect.time(changes.expires));
  if (changes.displayName !== undefined) {
    set.add("display_name = ?", changes.displayName);
    set.add("display_name_key = ?", changes.displayName === null ? null : displayNameKey(changes.displayName));
  }
  if (changes.ticket !== undefined) set.add("ticket = ?", Buffer.from(changes.ticket));
  return set;
}

interface TerminatedRow {
  id: unknown;
  subject_id: unknown;
  session_id: unknown;
  issuer: unknown;
}

interface SessionRow {
  id: unknown;
  session_key: unknown;
  scheme: unknown;
  subject_id: unknown;
  session_id: unknown;
  display_name: unknown;
  issuer: unknown;
  created: unknown;
  renewed: unknown;
  expires: unknown;
}

interface MetadataRow {
  sign_in_ip?: unknown;
  sign_in_user_agent?: unknown;
  last_seen_ip: unknown;
  last_seen_user_agent: unknown;
  last_seen: unknown;
  amr?: unknown;
  acr?: unknown;
  attributes: unknown;
}

const metadataColumns = ["sign_in_ip", "sign_in_ip_key", "sign_in_user_agent", "last_seen_ip", "last_seen_user_agent", "last_seen", "amr", "acr", "attributes"];

function metadataValues(metadata: SessionMetadata, dialect: Dialect): unknown[] {
  return [
    metadata.signInIp ?? null,
    metadata.signInIp === undefined ? null : Buffer.from(parseIpAddress("metadata.sign_in_ip_address", metadata.signInIp).key),
    metadata.signInUserAgent ?? null,
    metadata.lastSeenIp ?? null,
    metadata.lastSeenUserAgent ?? null,
    metadata.lastSeen === undefined ? null : dialect.time(metadata.lastSeen),
    metadata.amr.length === 0 ? null : JSON.stringify(metadata.amr),
    metadata.acr ?? null,
    Object.keys(metadata.attributes).length === 0 ? null : JSON.stringify(metadata.attributes),
  ];
}

function toMetadata(row: MetadataRow, dialect: Dialect): SessionMetadata {
  return {
    signInIp: optionalText(row.sign_in_ip, dialect),
    signInUserAgent: optionalText(row.sign_in_user_agent, dialect),
    lastSeenIp: optionalText(row.last_seen_ip, dialect),
    lastSeenUserAgent: optionalText(row.last_seen_user_agent, dialect),
    lastSeen: row.last_seen === null || row.last_seen === undefined ? undefined : dialect.readTime(row.last_seen),
    amr: row.amr === null || row.amr === undefined ? [] : (JSON.parse(dialect.readText(row.amr)) as string[]),
    acr: optionalText(row.acr, dialect),
    attributes: row.attributes === null || row.attributes === undefined ? {} : (JSON.parse(dialect.readText(row.attributes)) as Record<string, string>),
  };
}

function toSession(row: SessionRow & MetadataRow, dialect: Dialect): StoredSession {
  return {
    pk: dialect.readPk(row.id),
    key: dialect.readText(row.session_key),
    scheme: dialect.readText(row.scheme),
    subjectId: dialect.readText(row.subject_id),
    sessionId: optionalText(row.session_id, dialect),
    displayName: optionalText(row.display_name, dialect),
    issuer: optionalText(row.issuer, dialect),
    created: dialect.readTime(row.created),
    renewed: dialect.readTime(row.renewed),
    expires: row.expires === null || row.expires === undefined ? undefined : dialect.readTime(row.expires),
    clientIds: [],
    metadata: toMetadata(row, dialect),
  };
}

function optionalText(value: unknown, dialect: Dialect): string | undefined {
  return value === null || value === undefined ? undefined : dialect.readText(value);
}
