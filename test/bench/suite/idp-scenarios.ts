import type { Pool, PoolConnection } from "mysql2/promise";
import { displayNameKey } from "../../../src/domain/display-name-key.js";
import { grantTypes } from "../../../src/domain/grant-types.js";
import { grantStoreClient, sessionStoreClient, type Message } from "../../support/grpc-client.js";
import { existingKeys, freshKeys, grantData, scratchGrantSessions, scratchGrants, ticket, type Supply } from "./idp-fixtures.js";
import { exhausted, type Operation } from "./load.js";
import type { Target } from "./options.js";
import type { RunPlan, Scenario } from "./scenarios.js";

// The calls an identity provider makes on every sign-in, token issue,
// refresh and renewal, through the SessionStore and GrantStore services, and
// their floor: the statements the stores issue for them (see
// src/store/typeorm/session-store.ts and grant-store.ts), sent directly with
// mysql2 on a pool of the same size, in the same transactions.

const day = 86_400_000;
const sessionColumns = "s.id, s.session_key, s.scheme, s.subject_id, s.session_id, s.display_name, s.issuer, s.created, s.renewed, s.expires";
const grantColumns = "id, grant_key, grant_type, subject_id, session_id, client_id, description, creation_time, expiration, consumed_time, data";
const grantUpsert =
  "INSERT INTO persisted_grants (grant_key, grant_type, subject_id, session_id, client_id, description, creation_time, expiration, consumed_time, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
  "ON DUPLICATE KEY UPDATE grant_type = VALUES(grant_type), subject_id = VALUES(subject_id), session_id = VALUES(session_id), client_id = VALUES(client_id), " +
  "description = VALUES(description), creation_time = VALUES(creation_time), expiration = VALUES(expiration), consumed_time = VALUES(consumed_time), data = VALUES(data)";

/** SessionStore and GrantStore clients, one HTTP/2 connection per 8 workers as for the other scenarios. */
export interface IdpClients {
  sessions(worker: number): ReturnType<typeof sessionStoreClient>;
  grants(worker: number): ReturnType<typeof grantStoreClient>;
  close(): void;
}

/** Connects the identity-provider clients to a server. */
export function idpClients(port: number, concurrency: number): IdpClients {
  const count = Math.max(1, Math.ceil(concurrency / 8));
  const channelOptions = { "grpc.use_local_subchannel_pool": 1 };
  const sessions = Array.from({ length: count }, () => sessionStoreClient(port, { channelOptions }));
  const grants = Array.from({ length: count }, () => grantStoreClient(port, { channelOptions }));
  return {
    sessions: (worker) => sessions[worker % count]!,
    grants: (worker) => grants[worker % count]!,
    close: () => [...sessions, ...grants].forEach((c) => c.close()),
  };
}

/** What an identity-provider scenario needs for one target. */
export interface IdpEnv {
  pool: Pool;
  clients?: IdpClients;
}

const timestamp = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

// Enough prepared rows for a run of this plan: three times the best rate seen so far, or a generous guess.
function rowsFor(plan: RunPlan): number {
  const seconds = (plan.durationMs + plan.warmupMs) / 1000;
  return Math.max(200, Math.ceil(seconds * Math.max(800 * Math.sqrt(plan.concurrency), 3 * (plan.observedRate ?? 0))));
}

async function inTransaction(pool: Pool, work: (connection: PoolConnection) => Promise<void>): Promise<void> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    await work(connection);
    await connection.commit();
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

// findByKey: the session with its ticket, then its client links.
async function readSession(db: Pool | PoolConnection, key: string): Promise<void> {
  const [found] = (await db.execute(`SELECT ${sessionColumns}, s.ticket FROM server_side_sessions s WHERE s.session_key = ?`, [key])) as unknown as [{ id: unknown }[]];
  if (found[0] === undefined) throw new Error(`no session ${key}`);
  await db.execute("SELECT session_pk, client_id FROM session_clients WHERE session_pk IN (?)", [String(found[0].id)]);
}

function taking<T>(supply: Supply<T>, work: (item: T, worker: number) => Promise<unknown>): Operation {
  return async (worker) => {
    const item = supply.take();
    if (item === undefined) return exhausted;
    await work(item, worker);
    return undefined;
  };
}

const service = (target: Target) => target === "service";

/** The identity provider's scenarios, in report order. */
export function idpScenarios(): Scenario[] {
  const scenario = (id: string, name: string, detail: string, writes: boolean, build: (target: Target, env: IdpEnv, plan: RunPlan) => Promise<Operation>): Scenario => ({
    id,
    name,
    detail,
    writes,
    build: async (target, env, plan) => (target === "duende" ? undefined : build(target, { pool: env.pool, clients: env.idp }, plan)),
  });
  return [
    scenario("createSession", "SessionStore CreateSession (sign-in)", "a new session with 2 client links and a 1 KiB ticket, read back", true, async (target, { pool, clients }) => {
      const keys = freshKeys("session");
      const session = (key: string): Message => {
        const now = Date.now();
        return { key, scheme: "idsrv", subject_id: `${key}-sub`, session_id: `${key}-sid`, display_name: "Bench User", issuer: "https://idp.example.com", created: timestamp(now), renewed: timestamp(now), expires: timestamp(now + 14 * day), client_ids: ["rp-1", "rp-2"], ticket };
      };
      if (service(target)) return async (worker) => void (await clients!.sessions(worker).createSession({ session: session(keys.next()) }));
      return () =>
        inTransaction(pool, async (c) => {
          const key = keys.next();
          const now = new Date();
          await c.execute(
            "INSERT INTO server_side_sessions (session_key, scheme, subject_id, session_id, display_name, display_name_key, issuer, created, renewed, expires, ticket) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [key, "idsrv", `${key}-sub`, `${key}-sid`, "Bench User", displayNameKey("Bench User"), "https://idp.example.com", now, now, new Date(now.getTime() + 14 * day), ticket],
          );
          const [[row]] = (await c.execute("SELECT id FROM server_side_sessions WHERE session_key = ?", [key])) as unknown as [{ id: unknown }[]];
          await c.execute("INSERT INTO session_clients (session_pk, client_id) VALUES (?, ?), (?, ?)", [String(row!.id), "rp-1", String(row!.id), "rp-2"]);
          await readSession(c, key);
        });
    }),
    scenario("updateSession", "SessionStore UpdateSession (renewal)", "renewed and expires moved on an existing session, read back", true, async (target, { pool, clients }) => {
      const keys = await existingKeys(pool, "server_side_sessions", 2000);
      if (service(target)) {
        return async (worker) => {
          const now = Date.now();
          await clients!.sessions(worker).updateSession({ key: keys.next(), renewed: timestamp(now), expires: timestamp(now + 14 * day) });
        };
      }
      return () =>
        inTransaction(pool, async (c) => {
          const key = keys.next();
          const now = new Date();
          const [[row]] = (await c.execute("SELECT id FROM server_side_sessions WHERE session_key = ? FOR UPDATE", [key])) as unknown as [{ id: unknown }[]];
          await c.execute("UPDATE server_side_sessions SET renewed = ?, expires = ? WHERE id = ?", [now, new Date(now.getTime() + 14 * day), String(row!.id)]);
          await readSession(c, key);
        });
    }),
    scenario("getSession", "SessionStore GetSession", "an existing session by key, with its ticket and clients", false, async (target, { pool, clients }) => {
      const keys = await existingKeys(pool, "server_side_sessions", 2000);
      if (service(target)) return async (worker) => void (await clients!.sessions(worker).getSession({ key: keys.next() }));
      return () => readSession(pool, keys.next());
    }),
    scenario("storeGrant", "GrantStore StoreGrant (token issue)", "a new refresh token of 600 bytes", true, async (target, { pool, clients }) => {
      const keys = freshKeys("stored");
      const grant = (key: string) => {
        const now = Date.now();
        return { key, type: grantTypes.refreshToken, subject_id: "bench-subject", session_id: "bench-sid", client_id: "rp-1", creation_time: timestamp(now), expiration: timestamp(now + 30 * day), data: grantData };
      };
      if (service(target)) return async (worker) => void (await clients!.grants(worker).storeGrant({ grant: grant(keys.next()) }));
      return async () => {
        const now = new Date();
        await pool.execute(grantUpsert, [keys.next(), grantTypes.refreshToken, "bench-subject", "bench-sid", "rp-1", null, now, new Date(now.getTime() + 30 * day), null, grantData]);
      };
    }),
    scenario("getGrant", "GrantStore GetGrant (token use)", "an existing grant by key", false, async (target, { pool, clients }) => {
      const keys = await existingKeys(pool, "persisted_grants", 2000);
      if (service(target)) return async (worker) => void (await clients!.grants(worker).getGrant({ key: keys.next() }));
      return async () => void (await pool.execute(`SELECT ${grantColumns} FROM persisted_grants WHERE grant_key = ?`, [keys.next()]));
    }),
    scenario("consumeGrant", "GrantStore consume (refresh, code exchange)", "GetGrant, then StoreGrant with consumed_time set, as the oidc-provider adapter does", true, async (target, { pool, clients }, plan) => {
      const grants = await scratchGrants(pool, rowsFor(plan));
      if (service(target)) {
        return taking(grants, async (key, worker) => {
          const { grant } = await clients!.grants(worker).getGrant({ key });
          await clients!.grants(worker).storeGrant({ grant: { ...grant, consumed_time: timestamp(Date.now()) } });
        });
      }
      return taking(grants, async (key) => {
        const [[row]] = (await pool.execute(`SELECT ${grantColumns} FROM persisted_grants WHERE grant_key = ?`, [key])) as unknown as [Record<string, unknown>[]];
        await pool.execute(grantUpsert, [key, row!.grant_type, row!.subject_id, row!.session_id, row!.client_id, row!.description, row!.creation_time, row!.expiration, new Date(), row!.data] as never[]);
      });
    }),
    scenario("removeGrantsBySession", "GrantStore RemoveGrants by session (logout)", "the 3 grants of one session", true, async (target, { pool, clients }, plan) => {
      const sessions = await scratchGrantSessions(pool, rowsFor(plan));
      if (service(target)) return taking(sessions, (sid, worker) => clients!.grants(worker).removeGrants({ filter: { session_id: sid } }));
      return taking(sessions, (sid) => pool.execute("DELETE FROM persisted_grants WHERE session_id = ?", [sid]));
    }),
  ];
}
