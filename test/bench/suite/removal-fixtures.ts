import { randomBytes } from "node:crypto";
import type { Pool } from "mysql2/promise";
import { displayNameKey } from "../../../src/domain/display-name-key.js";
import { grantTypes } from "../../../src/domain/grant-types.js";
import { rows } from "./mysql.js";

/** Subjects the scenarios create carry this prefix, so that they can always be found and removed. */
export const scratchPrefix = "bench-scratch-";

const sessionsPerSubject = 5;
const clients = ["rp-1", "rp-2", "rp-3"];
const day = 86_400_000;

/**
 * A supply of subjects to terminate, each with 5 sessions × 3 clients and 25
 * grants (3 refresh tokens and a reference token per session, 2 authorization
 * codes, 3 consents). Each subject is handed out once; `take` returns
 * undefined when they are used up.
 */
export interface RemovalSubjects {
  take(): string | undefined;
  readonly size: number;
}

/** Inserts `count` such subjects in bulk, straight into the tables (before a run, not timed). */
export async function createRemovalSubjects(pool: Pool, count: number): Promise<RemovalSubjects> {
  const tag = randomBytes(3).toString("hex");
  const [{ id }] = await rows<{ id: unknown }>(pool, "SELECT COALESCE(MAX(id), 0) AS id FROM server_side_sessions");
  let nextPk = Number(id) + 1;
  const now = Date.now();
  const subjects: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const sessions: unknown[][] = [];
    const links: unknown[][] = [];
    const grants: unknown[][] = [];
    for (let s = start; s < Math.min(count, start + 500); s++) {
      const subject = `${scratchPrefix}${tag}-${s}`;
      subjects.push(subject);
      for (let k = 0; k < sessionsPerSubject; k++) {
        const pk = nextPk++;
        const sid = `${subject}-s${k}`.toUpperCase();
        const created = new Date(now - day + k * 60_000);
        sessions.push([pk, `${subject}-key${k}`, "idsrv", subject, sid, "Bench Scratch", displayNameKey("Bench Scratch"), "https://idp.example.com", created, created, new Date(now + 13 * day), Buffer.from("bench")]);
        for (const client of clients) {
          links.push([pk, client]);
          grants.push([`${subject}-rt${k}-${client}`, grantTypes.refreshToken, subject, sid, client, created, new Date(now + 30 * day), null, "{}"]);
        }
        grants.push([`${subject}-ref${k}`, grantTypes.referenceToken, subject, sid, clients[0], created, new Date(now + 3_600_000), null, "{}"]);
        if (k < 2) grants.push([`${subject}-code${k}`, grantTypes.authorizationCode, subject, sid, clients[0], created, new Date(now + 300_000), created, "{}"]);
      }
      for (const client of clients) grants.push([`${subject}-consent-${client}`, grantTypes.userConsent, subject, null, client, new Date(now - day), null, null, "{}"]);
    }
    await pool.query(
      "INSERT INTO server_side_sessions (id, session_key, scheme, subject_id, session_id, display_name, display_name_key, issuer, created, renewed, expires, ticket) VALUES ?",
      [sessions],
    );
    await pool.query("INSERT INTO session_clients (session_pk, client_id) VALUES ?", [links]);
    await pool.query(
      "INSERT INTO persisted_grants (grant_key, grant_type, subject_id, session_id, client_id, creation_time, expiration, consumed_time, data) VALUES ?",
      [grants],
    );
  }
  let next = 0;
  return { take: () => subjects[next++], size: subjects.length };
}

/** Removes every row the scenarios created in database `name` (what RemoveSessions left, and subjects not used). */
export async function removeScratchData(pool: Pool, name: string): Promise<void> {
  const like = `${scratchPrefix}%`;
  const tables = await rows<{ t: unknown }>(pool, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ?", [name]);
  const has = new Set(tables.map((r) => String(r.t)));
  if (!has.has("server_side_sessions")) return;
  await pool.query(`DELETE FROM ${name}.session_clients WHERE session_pk IN (SELECT id FROM ${name}.server_side_sessions WHERE subject_id LIKE ?)`, [like]);
  await pool.query(`DELETE FROM ${name}.server_side_sessions WHERE subject_id LIKE ?`, [like]);
  await pool.query(`DELETE FROM ${name}.persisted_grants WHERE subject_id LIKE ?`, [like]);
  if (has.has("logout_notifications")) await pool.query(`DELETE FROM ${name}.logout_notifications WHERE subject_id LIKE ?`, [like]);
}
