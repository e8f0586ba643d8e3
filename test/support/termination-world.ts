import { grantTypes } from "../../src/domain/grant-types.js";
import { newJobId } from "../../src/domain/job-id.js";
import type { JobDefinition, TerminationJob } from "../../src/domain/termination-job.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { openDatabase, type Database } from "../../src/store/typeorm/data-source.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import type { Stores } from "../../src/store/stores.js";
import { newGrant, newSession } from "./fixtures.js";

/**
 * Sessions for bulk termination: clients A and B are notifiable, C has no
 * logout URI. Session i signs in to [A], [A, B] or [B, C] (i mod 3) and holds
 * one refresh token for its first client. Subjects repeat every 7 sessions.
 */
export interface TerminationWorld {
  prefix: string;
  sessions: number;
  /** Sessions that signed in to A. */
  ofA: number;
  /** Notifications a termination of every session queues (A and B only). */
  notifications: number;
}

const clientSets = [["A"], ["A", "B"], ["B", "C"]];

/** Seeds `count` sessions (unique subjects under `prefix`) in transactions of 500. */
export async function seedTerminationWorld(stores: Stores, count: number, prefix = `w${Date.now()}`): Promise<TerminationWorld> {
  await stores.clients.put({ clientId: "A", enabled: true, backchannelLogoutUri: "https://a.example/logout", backchannelLogoutSessionRequired: true });
  await stores.clients.put({ clientId: "B", enabled: true, backchannelLogoutUri: "https://b.example/logout", backchannelLogoutSessionRequired: true });
  await stores.clients.put({ clientId: "C", enabled: true, backchannelLogoutSessionRequired: true });
  let ofA = 0;
  let notifications = 0;
  for (let start = 0; start < count; start += 500) {
    await stores.transaction(async (tx) => {
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const clientIds = clientSets[i % 3]!;
        if (clientIds.includes("A")) ofA++;
        notifications += clientIds.filter((c) => c !== "C").length;
        const session = newSession({ subjectId: `${prefix}-subject-${i % 7}`, clientIds });
        await tx.sessions.create(session);
        await tx.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: clientIds[0]!, subjectId: session.subjectId, sessionId: session.sessionId }));
      }
    });
  }
  return { prefix, sessions: count, ofA, notifications };
}

/** Records a job directly in the store (as StartTerminationJob would), for runner tests. */
export async function recordJob(stores: Stores, definition: Partial<JobDefinition> = {}): Promise<TerminationJob> {
  const now = new Date();
  const { job } = await stores.jobs.create({
    id: newJobId(now),
    idempotencyKey: `key-${now.getTime()}-${Math.random()}`,
    createdBy: "test-admin",
    created: now,
    definition: {
      filter: { allSessions: true },
      actions: { removeServerSideSession: true, revokeTokens: true, revokeConsents: true, sendBackchannelLogoutNotification: true },
      includeNewSessions: false,
      sessionsPerSecond: 1_000_000,
      reason: "test",
      lastPk: await stores.sessions.newestPk(),
      expectedSessions: 0,
      expectedIsEstimate: false,
      ...definition,
    },
  });
  return job;
}

/** A second, separate connection pool to the same database: another instance. */
export async function openOtherInstance(url: string): Promise<Stores> {
  const parsed = parseDatabaseUrl(url);
  if ("error" in parsed) throw new Error(parsed.error);
  return createStores(await openDatabase(parsed.location, { poolSize: 4, connectTimeoutMs: 5000 }));
}


/** Rows of a table, counted with plain SQL. */
export async function countRows(database: Database, table: "server_side_sessions" | "logout_notifications" | "persisted_grants"): Promise<number> {
  const [row] = (await database.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: unknown }[];
  return Number(row?.n ?? 0);
}

/** Outbox rows queued more than once for one (session, client). */
export async function duplicateNotifications(database: Database): Promise<number> {
  const rows = (await database.dataSource.query(
    "SELECT session_id, client_id, COUNT(*) AS n FROM logout_notifications GROUP BY session_id, client_id HAVING COUNT(*) > 1",
  )) as unknown[];
  return rows.length;
}
