import type { Pool, PoolConnection } from "mysql2/promise";
import { tokenGrantTypes, grantTypes } from "../../../src/domain/grant-types.js";
import { sessionWalkOf } from "../../../src/domain/session-walk.js";
import type { PageCursor } from "../../../src/store/page-cursor.js";
import { selectSessions, selectSessionWalk } from "../../../src/store/typeorm/session-sql.js";
import type { Operation } from "./load.js";
import { exhausted } from "./load.js";
import { readText, rows } from "./mysql.js";
import { cursorOf, type QueryCase } from "./query-cases.js";
import type { RemovalSubjects } from "./removal-fixtures.js";

// The service's own statements (src/store/typeorm/session-store.ts, built
// with the same selectSessions), issued directly with mysql2: the floor a
// service on this schema cannot go below.
const sessionColumns = "s.id, s.session_key, s.scheme, s.subject_id, s.session_id, s.display_name, s.issuer, s.created, s.renewed, s.expires";
const countExactLimit = 10_000;

/**
 * Whether the service answers a filter's total from its count cache: counts
 * above --count-exact-limit are served as estimates and recomputed in the
 * background at most every 5 s, so in steady state such a request issues
 * no count statement.
 */
export async function countIsCached(pool: Pool, c: QueryCase): Promise<boolean> {
  const { from, where } = selectSessions(c.filter, undefined, false);
  const [{ n }] = await rows<{ n: unknown }>(pool, `SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ${from}${where.whereSql()} LIMIT ?) bounded`, [...where.params, countExactLimit + 1]);
  return Number(n) > countExactLimit;
}

/**
 * What QuerySessions issues for a case, in the same order: the bounded
 * count (unless cached) at the same time as the page, the page's client
 * links, and the existence probe on the other side of the page.
 */
export function floorQuery(pool: Pool, c: QueryCase, pageSize: number, cachedCount: boolean): Operation {
  const cursor = cursorOf(c.position, c.order);
  const walk = sessionWalkOf({ ...c.filter, now: new Date() });
  const pages = selectSessionWalk({ ...c.filter, ...(c.filter.state && { now: new Date() }) }, walk, cursor, true).map((page) => ({
    sql: `SELECT ${sessionColumns} FROM ${page.from}${page.where.whereSql()} ORDER BY ${page.orderBy} LIMIT ?`,
    params: [...page.where.params],
  }));
  const count = selectSessions(c.filter, undefined, false);
  const countSql = `SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ${count.from}${count.where.whereSql()} LIMIT ?) bounded`;
  const countParams = [...count.where.params, countExactLimit + 1];
  // The probe looks back from the page's first row (in walk order), with its time on a walk over a time index.
  const probe = (row: Record<string, unknown>) => {
    const pk = Number(row.id);
    const value = walk === "id" ? undefined : (row[walk] as Date).getTime();
    const back: PageCursor =
      cursor.direction === "forward" ? { direction: "backward", beforePk: pk, beforeValue: value } : { direction: "forward", afterPk: pk, afterValue: value };
    const [s] = selectSessionWalk({ ...c.filter, ...(c.filter.state && { now: new Date() }) }, walk, back, false);
    return rows(pool, `SELECT 1 AS found FROM ${s!.from}${s!.where.whereSql()} LIMIT 1`, s!.where.params);
  };
  return async () => {
    const counting = cachedCount ? undefined : rows(pool, countSql, countParams);
    const found: Record<string, unknown>[] = [];
    for (const part of pages) {
      if (found.length > pageSize) break;
      found.push(...(await rows<Record<string, unknown>>(pool, part.sql, [...part.params, pageSize + 1 - found.length])));
    }
    const page = found.slice(0, pageSize);
    const pks = page.map((r) => Number(r.id));
    if (pks.length > 0) await rows(pool, `SELECT session_pk, client_id FROM session_clients WHERE session_pk IN (?)`, [pks]);
    // Rows come nearest the cursor first: the page's first row in walk order is the nearest one.
    if (c.position.kind !== "first" && page.length > 0) await probe(page[0]!);
    await counting;
  };
}

/**
 * What RemoveSessions issues for one subject with every action on (see
 * terminate-sessions.ts and the stores): in one transaction, lock the
 * sessions, read their clients, revoke tokens by subject, revoke consents
 * for the sessions' clients, find the notifiable clients, queue one
 * notification per session and client, delete links and sessions; then the
 * audit record.
 */
export function floorRemoval(pool: Pool, subjects: RemovalSubjects): Operation {
  return async () => {
    const subject = subjects.take();
    if (subject === undefined) return exhausted;
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      const sessions = await rows<{ id: unknown; subject_id: unknown; session_id: unknown; issuer: unknown }>(
        connection,
        "SELECT id, subject_id, session_id, issuer FROM server_side_sessions WHERE subject_id = ? ORDER BY id FOR UPDATE",
        [subject],
      );
      const pks = sessions.map((s) => Number(s.id));
      const links = pks.length === 0 ? [] : await rows<{ session_pk: unknown; client_id: unknown }>(connection, "SELECT session_pk, client_id FROM session_clients WHERE session_pk IN (?)", [pks]);
      const clients = [...new Set(links.map((l) => readText(l.client_id)))];
      await connection.query("DELETE FROM persisted_grants WHERE subject_id = ? AND grant_type IN (?)", [subject, tokenGrantTypes]);
      if (clients.length > 0) {
        await connection.query("DELETE FROM persisted_grants WHERE subject_id = ? AND client_id IN (?) AND grant_type IN (?)", [subject, clients, [grantTypes.userConsent]]);
        const notifiable = new Set(
          (await rows<{ client_id: unknown }>(connection, "SELECT client_id FROM clients WHERE client_id IN (?) AND enabled = 1 AND backchannel_logout_uri IS NOT NULL AND backchannel_logout_uri <> ''", [clients])).map((r) =>
            readText(r.client_id),
          ),
        );
        await insertNotifications(connection, sessions, links, notifiable);
      }
      if (pks.length > 0) {
        await connection.query("DELETE FROM session_clients WHERE session_pk IN (?)", [pks]);
        await connection.query("DELETE FROM server_side_sessions WHERE id IN (?)", [pks]);
      }
      await connection.commit();
      await connection.query("INSERT INTO audit_events (at, principal_id, method, request_json, code, outcome_json) VALUES (?, ?, ?, ?, ?, ?)", [
        new Date(),
        "bench-floor",
        "/sessionmanagement.v1.SessionManagement/RemoveSessions",
        JSON.stringify({ subjectId: subject }),
        "ok",
        JSON.stringify({ sessionsRemoved: pks.length }),
      ]);
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
    return undefined;
  };
}

async function insertNotifications(
  connection: PoolConnection,
  sessions: { id: unknown; subject_id: unknown; session_id: unknown; issuer: unknown }[],
  links: { session_pk: unknown; client_id: unknown }[],
  notifiable: Set<string>,
): Promise<void> {
  const now = new Date();
  const byPk = new Map(sessions.map((s) => [Number(s.id), s]));
  const values = links
    .filter((l) => notifiable.has(readText(l.client_id)))
    .map((l) => {
      const s = byPk.get(Number(l.session_pk))!;
      return [readText(l.client_id), readText(s.subject_id), readText(s.session_id), s.issuer === null ? null : readText(s.issuer), "admin_removal", "pending", 0, now, now];
    });
  if (values.length === 0) return;
  await connection.query("INSERT INTO logout_notifications (client_id, subject_id, session_id, issuer, reason, status, attempts, next_attempt_at, created) VALUES ?", [values]);
}
