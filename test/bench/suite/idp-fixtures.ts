import { randomBytes } from "node:crypto";
import type { Pool } from "mysql2/promise";
import { grantTypes } from "../../../src/domain/grant-types.js";
import { readText, rows } from "./mysql.js";

/** Sessions and grants the identity-provider scenarios create carry this key prefix, so that they can always be removed. */
export const idpScratchPrefix = "bench-idp-";

const day = 86_400_000;

/** A supply of values handed out once each, in turn; undefined when used up. */
export interface Supply<T> {
  take(): T | undefined;
  readonly size: number;
}

function supply<T>(items: T[]): Supply<T> {
  let next = 0;
  return { take: () => items[next++], size: items.length };
}

/** Fresh keys no row has, for creating sessions or grants. */
export function freshKeys(kind: string): { next(): string } {
  const tag = randomBytes(4).toString("hex");
  let n = 0;
  return { next: () => `${idpScratchPrefix}${kind}-${tag}-${n++}` };
}

/** `count` keys of existing rows of the dataset (sessions or grants), spread over the table, repeated in turn. */
export async function existingKeys(pool: Pool, table: "server_side_sessions" | "persisted_grants", count: number): Promise<{ next(): string }> {
  const keyColumn = table === "server_side_sessions" ? "session_key" : "grant_key";
  const [{ lo, hi }] = await rows<{ lo: unknown; hi: unknown }>(pool, `SELECT MIN(id) AS lo, MAX(id) AS hi FROM ${table}`);
  const ids = Array.from({ length: count }, () => Number(lo) + Math.floor(Math.random() * (Number(hi) - Number(lo) + 1)));
  const found = (await rows<{ k: unknown }>(pool, `SELECT ${keyColumn} AS k FROM ${table} WHERE id IN (?) AND ${keyColumn} NOT LIKE ?`, [ids, `${idpScratchPrefix}%`])).map((r) => readText(r.k));
  if (found.length === 0) throw new Error(`${table} has no rows to sample`);
  let n = 0;
  return { next: () => found[n++ % found.length]! };
}

/**
 * Inserts `count` grants (a refresh token each) straight into the table,
 * before a run and not timed: for consume, which stores its grant back
 * consumed. Returns their keys, each handed out once.
 */
export async function scratchGrants(pool: Pool, count: number): Promise<Supply<string>> {
  const keys = freshKeys("grant");
  const now = Date.now();
  const all: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const values: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const key = keys.next();
      all.push(key);
      values.push([key, grantTypes.refreshToken, `${idpScratchPrefix}subject-${i}`, `${idpScratchPrefix}sid-${i}`, "rp-1", new Date(now), new Date(now + 30 * day), null, grantData]);
    }
    await pool.query("INSERT INTO persisted_grants (grant_key, grant_type, subject_id, session_id, client_id, creation_time, expiration, consumed_time, data) VALUES ?", [values]);
  }
  return supply(all);
}

/**
 * Inserts grants for `count` sessions (an authorization code, a refresh
 * token and an access token each, as one sign-in leaves) and returns the
 * session ids, each handed out once: for RemoveGrants by session.
 */
export async function scratchGrantSessions(pool: Pool, count: number): Promise<Supply<string>> {
  const keys = freshKeys("session-grant");
  const now = Date.now();
  const sids: string[] = [];
  for (let start = 0; start < count; start += 300) {
    const values: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + 300); i++) {
      const sid = `${keys.next()}-sid`;
      sids.push(sid);
      for (const type of [grantTypes.authorizationCode, grantTypes.refreshToken, grantTypes.referenceToken]) {
        values.push([keys.next(), type, `${idpScratchPrefix}subject`, sid, "rp-1", new Date(now), new Date(now + day), null, grantData]);
      }
    }
    await pool.query("INSERT INTO persisted_grants (grant_key, grant_type, subject_id, session_id, client_id, creation_time, expiration, consumed_time, data) VALUES ?", [values]);
  }
  return supply(sids);
}

/** Removes every row the identity-provider scenarios created in database `name`. */
export async function removeIdpScratch(pool: Pool, name: string): Promise<void> {
  const like = `${idpScratchPrefix}%`;
  const tables = await rows<{ t: unknown }>(pool, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ?", [name]);
  if (!tables.some((r) => String(r.t) === "server_side_sessions")) return;
  // A join, not IN (SELECT …): MariaDB would run the subquery for every link row.
  const [links, sessions] = [`${name}.session_clients`, `${name}.server_side_sessions`];
  await pool.query(`DELETE ${links} FROM ${links} JOIN ${sessions} ON ${sessions}.id = ${links}.session_pk WHERE ${sessions}.session_key LIKE ?`, [like]);
  await pool.query(`DELETE FROM ${name}.server_side_sessions WHERE session_key LIKE ?`, [like]);
  await pool.query(`DELETE FROM ${name}.persisted_grants WHERE grant_key LIKE ?`, [like]);
}

/** Serialized grant data of a typical size (an oidc-provider refresh token's payload is about 600 bytes). */
export const grantData = Buffer.from(JSON.stringify({ accountId: "bench", scope: "openid profile email offline_access", claims: { rejected: [] }, pad: "x".repeat(480) }));

/** A session ticket of a typical size (a serialized authentication ticket, about 1 KiB). */
export const ticket = Buffer.alloc(1024, 7);
