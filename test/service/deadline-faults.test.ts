import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import mysql2 from "mysql2/promise";
import { pino } from "pino";
import { RemoveSessionsRequestSchema } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { startServer, type RunningServer } from "../../src/server/server.js";
import type { Stores } from "../../src/store/stores.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { newGrant, newSession } from "../support/fixtures.js";
import { callError, grpc, sessionManagementClient, type SessionManagementClient } from "../support/grpc-client.js";
import { rawGrpcCall } from "../support/raw-grpc.js";
import { testConfig } from "../support/server.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const [, mysql] = await testBackends();

const removePath = "/sessionmanagement.v1.SessionManagement/RemoveSessions";
const clients = ["rp-a", "rp-b"];
const sessionsPerSubject = 2;
// The server's own limit on one statement, shorter than the default so that
// a statement blocked without a client deadline ends within the test.
const maxStatementMs = 3000;

/** What the database holds for one subject. */
interface SubjectState {
  sessions: number;
  links: number;
  grants: number;
  notifications: number;
}

const untouched: SubjectState = { sessions: sessionsPerSubject, links: sessionsPerSubject * clients.length, grants: sessionsPerSubject, notifications: 0 };
const terminated: SubjectState = { sessions: 0, links: 0, grants: 0, notifications: sessionsPerSubject * clients.length };

function removal(subjectId: string) {
  return { subject_id: subjectId, remove_server_side_session: true, revoke_tokens: true, send_backchannel_logout_notification: true };
}

function rawRemoval(subjectId: string): Uint8Array {
  return toBinary(
    RemoveSessionsRequestSchema,
    create(RemoveSessionsRequestSchema, { subjectId, removeServerSideSession: true, revokeTokens: true, sendBackchannelLogoutNotification: true }),
  );
}

// The server reaches MariaDB through a TCP proxy that can blackhole (hold
// every byte without closing anything) or cut connections; the test seeds
// and checks over a direct connection.
describe("deadlines and lost connections (mysql)", { skip: mysql!.skip, timeout: 180_000 }, () => {
  let proxy: TcpProxy;
  let stores: Stores;
  let seeding: Stores;
  let direct: mysql2.Connection;
  let databaseName: string;
  let removeDatabase: () => Promise<void>;
  let server: RunningServer;
  let client: SessionManagementClient;
  const pksBySubject = new Map<string, number[]>();
  let subjects = 0;

  before(async () => {
    const empty = await mysql!.createEmpty();
    removeDatabase = empty.remove;
    const directUrl = new URL(empty.url);
    databaseName = directUrl.pathname.slice(1);
    proxy = await startTcpProxy(directUrl.hostname, Number(directUrl.port || 3306));
    const viaProxy = new URL(empty.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const parsedDirect = parseDatabaseUrl(empty.url);
    const parsedProxy = parseDatabaseUrl(viaProxy.toString());
    if ("error" in parsedDirect || "error" in parsedProxy) throw new Error("bad test database url");
    const seedDatabase = await openDatabase(parsedDirect.location, { poolSize: 2, connectTimeoutMs: 5000 });
    await migrate(seedDatabase);
    seeding = createStores(seedDatabase);
    for (const clientId of clients) {
      await seeding.clients.put({ clientId, enabled: true, backchannelLogoutUri: `https://${clientId}.example/logout`, backchannelLogoutSessionRequired: true });
    }
    stores = createStores(await openDatabase(parsedProxy.location, { poolSize: 4, connectTimeoutMs: 2000, maxStatementMs }));
    server = await startServer(testConfig({ databaseUrl: viaProxy.toString(), healthCheckIntervalMs: 60_000, maxStatementMs }), stores, pino({ level: "silent" }));
    client = sessionManagementClient(server.port);
    direct = await mysql2.createConnection({ host: directUrl.hostname, port: Number(directUrl.port || 3306), user: "root", database: databaseName });
  });
  after(async () => {
    client?.close();
    proxy?.heal();
    await server?.close();
    await stores?.close();
    await seeding?.close();
    await direct?.end();
    await removeDatabase?.();
    await proxy?.close();
  });

  /** A new subject with its sessions (each linked to every client), one refresh token per session. */
  const seedSubject = async (): Promise<string> => {
    const subjectId = `deadline-subject-${++subjects}-${Date.now()}`;
    const pks: number[] = [];
    for (let i = 0; i < sessionsPerSubject; i++) {
      const session = newSession({ subjectId, clientIds: clients });
      pks.push(await seeding.sessions.create(session));
      await seeding.grants.store(newGrant({ type: "refresh_token", clientId: clients[0]!, subjectId, sessionId: session.sessionId }));
    }
    pksBySubject.set(subjectId, pks);
    return subjectId;
  };

  const stateOf = async (subjectId: string): Promise<SubjectState> => {
    const pks = pksBySubject.get(subjectId)!;
    const count = async (sql: string, params: unknown[]) => {
      const [rows] = await direct.query(sql, params);
      return Number((rows as { n: unknown }[])[0]!.n);
    };
    return {
      sessions: await count("SELECT COUNT(*) AS n FROM server_side_sessions WHERE subject_id = ?", [subjectId]),
      links: await count(`SELECT COUNT(*) AS n FROM session_clients WHERE session_pk IN (${pks.map(() => "?").join(", ")})`, pks),
      grants: await count("SELECT COUNT(*) AS n FROM persisted_grants WHERE subject_id = ?", [subjectId]),
      notifications: await count("SELECT COUNT(*) AS n FROM logout_notifications WHERE subject_id = ?", [subjectId]),
    };
  };

  /** Statements of this database that the server's connections are still running. */
  const runningQueries = async (): Promise<string[]> => {
    const [rows] = await direct.query(
      "SELECT INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID() AND COMMAND = 'Query'",
      [databaseName],
    );
    return (rows as { info: string }[]).map((row) => row.info);
  };

  /** A RemoveSessions with a 1 s deadline whose database is blackholed (from the start, or once `from` is sent) until 4 s. */
  const removeWhileBlackholed = async (subjectId: string, from?: (chunk: Buffer) => boolean) => {
    if (from === undefined) proxy.blackhole();
    const held = from === undefined ? Promise.resolve() : proxy.blackholeOn(from);
    // The database comes back on its own, whatever the server does meanwhile.
    const healing = setTimeout(() => proxy.heal(), 4000);
    try {
      const outcome = await rawGrpcCall(server.port, removePath, rawRemoval(subjectId), { "grpc-timeout": "1000m" });
      await held;
      return outcome;
    } finally {
      clearTimeout(healing);
      proxy.heal();
    }
  };

  it("should answer DEADLINE_EXCEEDED at a 1 s deadline against a blackholed database, and commit nothing once it is back", async () => {
    const subjectId = await seedSubject();
    const outcome = await removeWhileBlackholed(subjectId);
    assert.equal(outcome.status, grpc.status.DEADLINE_EXCEEDED, outcome.message);
    console.log(`blackholed: DEADLINE_EXCEEDED after ${outcome.elapsedMs} ms (deadline 1000 ms)`);
    // The server gave up at the deadline rather than when the database came back.
    assert.ok(outcome.elapsedMs < 1000 + 2500, `answered after ${outcome.elapsedMs} ms`);
    // Whatever was held in the network is delivered now: none of it commits.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await stateOf(subjectId), untouched);
    await eventually("no statement left running", async () => ((await runningQueries()).length === 0 ? true : undefined), 10_000);
    // The removal, retried, works.
    assert.equal(Number((await client.removeSessions(removal(subjectId))).sessions_removed), sessionsPerSubject);
    assert.deepEqual(await stateOf(subjectId), terminated);
  });

  it("should commit nothing after DEADLINE_EXCEEDED when the database is blackholed in the middle of the transaction", async () => {
    const subjectId = await seedSubject();
    // The grants and the outbox rows are written; the sessions' deletion is held, and delivered late.
    const outcome = await removeWhileBlackholed(subjectId, (chunk) => chunk.includes("DELETE FROM session_clients"));
    assert.equal(outcome.status, grpc.status.DEADLINE_EXCEEDED, outcome.message);
    assert.ok(outcome.elapsedMs < 1000 + 2500, `answered after ${outcome.elapsedMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await stateOf(subjectId), untouched);
    await eventually("no statement left running", async () => ((await runningQueries()).length === 0 ? true : undefined), 10_000);
  });

  it("should interrupt in the database a statement still blocked at the call's deadline, and roll back", async () => {
    const subjectId = await seedSubject();
    const locker = await mysql2.createConnection({ host: "127.0.0.1", port: 3306, user: "root", database: databaseName });
    try {
      await locker.query("START TRANSACTION");
      await locker.query("SELECT id FROM server_side_sessions WHERE subject_id = ? FOR UPDATE", [subjectId]);
      const outcome = await rawGrpcCall(server.port, removePath, rawRemoval(subjectId), { "grpc-timeout": "1000m" });
      assert.equal(outcome.status, grpc.status.DEADLINE_EXCEEDED, outcome.message);
      console.log(`blocked on a lock: DEADLINE_EXCEEDED after ${outcome.elapsedMs} ms (deadline 1000 ms)`);
      assert.ok(outcome.elapsedMs < 1000 + 3000, `answered after ${outcome.elapsedMs} ms`);
      // The server's statement waited on the lock; it must not wait on after the call.
      await eventually("the blocked statement interrupted", async () => ((await runningQueries()).length === 0 ? true : undefined), 2500);
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
    assert.deepEqual(await stateOf(subjectId), untouched);
  });

  it("should end a statement that runs longer than --max-statement-ms when the call has no deadline", async () => {
    const subjectId = await seedSubject();
    const locker = await mysql2.createConnection({ host: "127.0.0.1", port: 3306, user: "root", database: databaseName });
    try {
      await locker.query("START TRANSACTION");
      await locker.query("SELECT id FROM server_side_sessions WHERE subject_id = ? FOR UPDATE", [subjectId]);
      const error = await callError(client.removeSessions(removal(subjectId)));
      assert.equal(error.code, grpc.status.DEADLINE_EXCEEDED, error.details);
      assert.match(error.details, /max-statement-ms/);
      assert.deepEqual(await runningQueries(), []);
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
    assert.deepEqual(await stateOf(subjectId), untouched);
  });

  const isCommit = (chunk: Buffer) => chunk.length === 11 && chunk[4] === 0x03 && chunk.subarray(5).toString() === "COMMIT";

  it("should answer UNAVAILABLE, outcome unknown, when the connection is lost before COMMIT arrives (nothing committed)", async () => {
    const subjectId = await seedSubject();
    const seen = proxy.cutOn(isCommit, "before");
    const error = await callError(client.removeSessions(removal(subjectId)));
    await seen;
    assert.equal(error.code, grpc.status.UNAVAILABLE, error.details);
    assert.match(error.details, /outcome is unknown/);
    assert.deepEqual(await stateOf(subjectId), untouched);
    assert.equal(Number((await client.removeSessions(removal(subjectId))).sessions_removed), sessionsPerSubject);
    assert.deepEqual(await stateOf(subjectId), terminated);
  });

  it("should answer UNAVAILABLE, outcome unknown, when COMMIT's answer is lost (all committed), and a retry changes nothing", async () => {
    const subjectId = await seedSubject();
    const seen = proxy.cutOn(isCommit, "after");
    const error = await callError(client.removeSessions(removal(subjectId)));
    await seen;
    assert.equal(error.code, grpc.status.UNAVAILABLE, error.details);
    assert.match(error.details, /outcome is unknown/);
    assert.deepEqual(await stateOf(subjectId), terminated);
    assert.equal(Number((await client.removeSessions(removal(subjectId))).sessions_removed), 0);
    assert.deepEqual(await stateOf(subjectId), terminated);
  });

  it("should leave every subject fully terminated or untouched when connections are cut under load, and never answer INTERNAL", async () => {
    const batch: string[] = [];
    for (let i = 0; i < 40; i++) batch.push(await seedSubject());
    const codes = new Map<number, number>();
    let cutting = true;
    const cutter = (async () => {
      while (cutting) {
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 600));
        proxy.cutConnections();
      }
    })();
    const queue = [...batch];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let subjectId = queue.shift(); subjectId !== undefined; subjectId = queue.shift()) {
          const code = await client.removeSessions(removal(subjectId), { deadlineMs: 5000 }).then(
            () => grpc.status.OK,
            (error: { code: number }) => error.code,
          );
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }),
    );
    cutting = false;
    await cutter;
    assert.deepEqual(
      [...codes.keys()].filter((code) => ![grpc.status.OK, grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(code)),
      [],
      `codes: ${JSON.stringify([...codes])}`,
    );
    for (const subjectId of batch) {
      const state = await stateOf(subjectId);
      assert.ok(
        JSON.stringify(state) === JSON.stringify(untouched) || JSON.stringify(state) === JSON.stringify(terminated),
        `${subjectId} partly terminated: ${JSON.stringify(state)}`,
      );
    }
    // Retried once the connections hold, every removal completes, and a
    // removal that had committed unseen queues no second notification.
    for (const subjectId of batch) await client.removeSessions(removal(subjectId));
    for (const subjectId of batch) assert.deepEqual(await stateOf(subjectId), terminated);
    console.log(`removals under cuts: ${JSON.stringify(Object.fromEntries([...codes].map(([code, n]) => [grpc.status[code], n])))}`);
  });
});
