/**
 * Prints the plan MySQL/MariaDB chooses for every statement QuerySessions
 * issues (page, existence probe, bounded count) under each filter, with the
 * statement's average time over 20 runs; then the statements of a
 * termination. Shows that each is served by an index, with no OFFSET and no
 * leading-wildcard LIKE.
 *
 *   npm run bench:explain -- --database-url mysql://root@127.0.0.1:3306/sm_bench_1m
 */
import { parseArgs } from "node:util";
import mysql from "mysql2/promise";

// Inlines bound values, so that EXPLAIN shows the statement as the server receives it.
const format = (sql: string, params: readonly unknown[]) => mysql.format(sql, params as never);
import { tokenGrantTypes } from "../../src/domain/grant-types.js";
import type { SessionFilter } from "../../src/domain/session-filter.js";
import type { PageCursor } from "../../src/store/session-store.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { selectSessions, selectSessionWalk } from "../../src/store/typeorm/session-sql.js";
import { neverExpires, sessionWalkOf } from "../../src/domain/session-walk.js";
import { parseIpRange } from "../../src/domain/ip-address.js";
import { sampleSessions } from "./sample-sessions.js";

const { values } = parseArgs({ options: { "database-url": { type: "string" } } });
const parsed = parseDatabaseUrl(values["database-url"] ?? process.env.DATABASE_URL ?? "");
if (!("location" in parsed) || parsed.location.kind !== "mysql") throw new Error("--database-url must be a mysql:// URL");
const { host, port, user, password, database } = parsed.location;
const connection = await mysql.createConnection({ host, port, user, password, database, timezone: "Z" });
const readText = (v: unknown) => (Buffer.isBuffer(v) ? v.toString("utf8") : String(v));
const samples = await sampleSessions(
  {
    rows: async <T>(sql: string, params: readonly unknown[] = []) => (await connection.query(sql, [...params]))[0] as T[],
  },
  readText,
);

const columns = "s.id, s.session_key, s.scheme, s.subject_id, s.session_id, s.display_name, s.issuer, s.created, s.renewed, s.expires";
const { middle, deep, popularClient, rareClient } = samples;
const scenarios: [string, SessionFilter, PageCursor][] = [
  ["first page", {}, { direction: "forward" }],
  ["next page at 90% depth", {}, { direction: "forward", afterPk: deep.pk }],
  ["prior page at 50% depth", {}, { direction: "backward", beforePk: middle.pk }],
  ["subject id", { subjectId: middle.subjectId }, { direction: "forward" }],
  ["session id", { sessionId: middle.sessionId }, { direction: "forward" }],
  [`display name "${middle.displayName}"`, { displayNamePrefix: middle.displayName }, { direction: "forward" }],
  [`display name "${middle.displayName[0]}", deep`, { displayNamePrefix: middle.displayName[0] }, { direction: "forward", afterPk: deep.pk }],
  [`client ${popularClient.clientId} (${popularClient.sessions}), deep`, { clientId: popularClient.clientId }, { direction: "forward", afterPk: deep.pk }],
  [`client ${rareClient.clientId} (${rareClient.sessions})`, { clientId: rareClient.clientId }, { direction: "forward" }],
  ["client and subject", { clientId: popularClient.clientId, subjectId: middle.subjectId }, { direction: "forward" }],
];

// The newer filters and the newest-first order. A newest-first walk reads the
// same indexes backwards: its first page is a backward cursor from the top.
const [meta] = (await connection.query("SELECT created, sign_in_ip FROM server_side_sessions WHERE id = ?", [middle.pk])) as unknown as [
  { created: Date; sign_in_ip: string | null }[],
];
const middleCreated = meta[0]!.created.getTime();
const [latest] = (await connection.query("SELECT MAX(created) AS at FROM server_side_sessions")) as unknown as [{ at: Date }[]];
const newestAt = latest[0]!.at.getTime();
const hour = 3_600_000;
const top: PageCursor = { direction: "backward", beforePk: Number.MAX_SAFE_INTEGER };
const ip = meta[0]!.sign_in_ip ?? "10.0.0.1";
const block = ip.includes(":") ? `${ip.split(":").slice(0, 2).join(":")}::/32` : `${ip.split(".").slice(0, 2).join(".")}.0.0/16`;
scenarios.push(
  ["newest first: first page", {}, top],
  ["newest first: next page at 50% depth", {}, { direction: "backward", beforePk: middle.pk }],
  ["created in the last 24 h, newest first", { created: { from: new Date(newestAt - 24 * hour) } }, top],
  ["created within a day at 50% depth, oldest first", { created: { from: new Date(middleCreated - 12 * hour), to: new Date(middleCreated + 12 * hour) } }, { direction: "forward" }],
  ["created within a day at 50% depth, deep in it", { created: { from: new Date(middleCreated - 12 * hour), to: new Date(middleCreated + 12 * hour) } }, { direction: "forward", afterPk: middle.pk, afterValue: middleCreated }],
  ["renewed in the last hour, newest first", { renewed: { from: new Date(newestAt - hour) } }, top],
  ["expires in the next day", { expires: { from: new Date(newestAt), to: new Date(newestAt + 24 * hour) } }, { direction: "forward" }],
  ["active, from the session at 90% depth", { state: "active", now: new Date(newestAt) }, { direction: "forward", afterPk: deep.pk, afterValue: samples.times.deepExpires?.getTime() ?? neverExpires }],
  ["expired (few: the sweeper removes them)", { state: "expired", now: new Date(newestAt) }, { direction: "forward" }],
  ["issuer (every session), deep", { issuer: "https://idp.example.com" }, { direction: "forward", afterPk: deep.pk }],
  [`sign-in address ${ip}`, { ipAddress: parseIpRange("ip", ip) }, { direction: "forward" }],
  [`sign-in block ${block}`, { ipAddress: parseIpRange("ip", block) }, { direction: "forward" }],
  [`sign-in block ${block}, newest first`, { ipAddress: parseIpRange("ip", block) }, top],
  ["subject, active, created in a range", { subjectId: middle.subjectId, state: "active", now: new Date(newestAt), created: { from: new Date(middleCreated - 48 * hour) } }, { direction: "forward" }],
);

// A range alone walks its column's index in (column, id) order (see
// sessionWalkOf); a cursor inside the walk carries the column's value.
const day = { from: new Date(middleCreated - 12 * hour), to: new Date(middleCreated + 12 * hour) };
const inDay: PageCursor = { direction: "forward", afterPk: middle.pk, afterValue: middleCreated };
const inDayBack: PageCursor = { direction: "backward", beforePk: middle.pk, beforeValue: middleCreated };
scenarios.push(
  ["created within a day at 50% depth, newest first", { created: day }, top],
  ["created within a day at 50% depth, newest first, next page deep in it", { created: day }, inDayBack],
  ["created within a day at 50% depth, next page deep in it", { created: day }, inDay],
  ["created within a day at 50% depth, issuer checked on its rows", { created: day, issuer: "https://idp.example.com" }, inDay],
  [`created within a day at 50% depth, client ${popularClient.clientId} checked on its rows`, { created: day, clientId: popularClient.clientId }, inDay],
  [`created within a day at 50% depth, block ${block} checked on its rows`, { created: day, ipAddress: parseIpRange("ip", block) }, inDay],
  ["renewed in the last hour, oldest first", { renewed: { from: new Date(newestAt - hour) } }, { direction: "forward" }],
  ["expired, newest first", { state: "expired", now: new Date(newestAt) }, top],
  ["active, oldest first (expiring soonest first, never-expiring last)", { state: "active", now: new Date(newestAt) }, { direction: "forward" }],
  ["active, newest first (never-expiring first)", { state: "active", now: new Date(newestAt) }, top],
  ["created from 50% depth on (one bound), oldest first", { created: { from: new Date(middleCreated) } }, { direction: "forward" }],
);

async function show(label: string, sql: string): Promise<void> {
  const [plan] = (await connection.query(`EXPLAIN ${sql}`)) as unknown as [Record<string, unknown>[]];
  const t0 = process.hrtime.bigint();
  const explainOnly = /^(DELETE|UPDATE)/i.test(sql);
  if (!explainOnly) for (let i = 0; i < 20; i++) await connection.query(sql);
  const ms = explainOnly ? "" : ` — ${(Number(process.hrtime.bigint() - t0) / 1e6 / 20).toFixed(2)} ms`;
  console.log(`\n${label}${ms}\n  ${sql}`);
  for (const row of plan) console.log(`  → ${row.table}: type=${row.type} key=${row.key} rows=${row.rows} ${row.Extra ?? ""}`);
}

console.log(`Plans at ${samples.total.toLocaleString("en")} sessions`);
for (const [name, filter, cursor] of scenarios) {
  const walk = sessionWalkOf(filter);
  // A walk over expiry times that holds never-expiring sessions reads them in a second statement, when the first falls short.
  for (const [i, page] of selectSessionWalk(filter, walk, cursor, true).entries()) {
    const part = i === 0 ? "page" : "page, then";
    await show(`${name} [walks ${walk === "id" ? "recording order" : `${walk}, id`}]: ${part}`, format(`SELECT ${columns} FROM ${page.from}${page.where.whereSql()} ORDER BY ${page.orderBy} LIMIT 26`, [...page.where.params]));
  }
  // The probe looks the other way from the cursor; a walk over a time index probes only from a row (with its value).
  const end = cursor.direction === "forward" ? cursor.afterPk === undefined : cursor.beforePk === Number.MAX_SAFE_INTEGER;
  if (walk === "id" || !end) {
    const [probe] = selectSessionWalk(
      filter,
      walk,
      cursor.direction === "forward"
        ? { direction: "backward", beforePk: cursor.afterPk ?? 1, beforeValue: cursor.afterValue }
        : { direction: "forward", afterPk: cursor.beforePk === Number.MAX_SAFE_INTEGER ? 0 : cursor.beforePk, afterValue: cursor.beforeValue },
      false,
    );
    await show(`${name}: existence probe`, format(`SELECT 1 AS found FROM ${probe!.from}${probe!.where.whereSql()} LIMIT 1`, [...probe!.where.params]));
  }
  const count = selectSessions(filter, undefined, false);
  await show(`${name}: bounded count`, format(`SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ${count.from}${count.where.whereSql()} LIMIT 10001) bounded`, [...count.where.params]));
}

const types = tokenGrantTypes;
for (const [label, sql, params] of [
  ["termination: lock the sessions", "SELECT id, subject_id, session_id, issuer FROM server_side_sessions WHERE subject_id = ? ORDER BY id FOR UPDATE", [middle.subjectId]],
  ["termination: revoke tokens by subject", `DELETE FROM persisted_grants WHERE subject_id = ? AND grant_type IN (?)`, [middle.subjectId, types]],
  ["termination: revoke tokens by session", `DELETE FROM persisted_grants WHERE session_id = ? AND grant_type IN (?)`, [middle.sessionId, types]],
  ["termination: revoke tokens by subject, session and client", `DELETE FROM persisted_grants WHERE subject_id = ? AND session_id = ? AND client_id IN (?) AND grant_type IN (?)`, [middle.subjectId, middle.sessionId, [popularClient.clientId], types]],
  ["termination: revoke consents", `DELETE FROM persisted_grants WHERE subject_id = ? AND client_id IN (?) AND grant_type IN ('user_consent')`, [middle.subjectId, [popularClient.clientId, rareClient.clientId]]],
  ["termination: clients to notify", `SELECT client_id FROM clients WHERE client_id IN (?) AND enabled = 1 AND backchannel_logout_uri IS NOT NULL AND backchannel_logout_uri <> ''`, [[popularClient.clientId, rareClient.clientId]]],
  ["termination: delete client links", `DELETE FROM session_clients WHERE session_pk IN (?)`, [[middle.pk]]],
  ["termination: delete sessions", `DELETE FROM server_side_sessions WHERE id IN (?)`, [[middle.pk]]],
] as const) {
  await show(label, format(sql, params));
}
await connection.end();
