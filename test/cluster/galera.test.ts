import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { decodeJwt } from "jose";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/ts/grpc/health/v1/health_pb.js";
import { adminKey } from "../../src/server/admin-key.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { mysqlMigrations } from "../../src/store/typeorm/migrations/index.js";
import { conflictCounters } from "../../src/store/typeorm/retry-conflicts.js";
import { clusterDatabaseName, startClusterInstance, type ClusterInstance } from "../support/cluster-instances.js";
import { eventually } from "../support/eventually.js";
import { newSession } from "../support/fixtures.js";
import { galeraRequired, galeraUnavailable, startGaleraCluster, type GaleraCluster } from "../support/galera-cluster.js";
import { grpc, sessionManagementClient, sessionStoreClient, type CallError } from "../support/grpc-client.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";

const unavailable = galeraUnavailable();
// Under CI=true a cluster that cannot start fails the run (in before()).
const skip = unavailable !== undefined && !galeraRequired ? `no Galera cluster here: ${unavailable}` : undefined;

const delivering = {
  notifier: true,
  notifierAllowAddresses: "127.0.0.1",
  allowHttpLogoutUris: true,
  notifierPollMs: 100,
  notifierRetryBaseMs: 200,
  sweeper: true,
  sweeperIntervalMs: 200,
  sweeperBatchSize: 20,
};
const future = () => new Date(Date.now() + 3_600_000);
const timestamp = (date: Date) => ({ seconds: String(Math.floor(date.getTime() / 1000)), nanos: 0 });

describe("on a three-node MariaDB Galera cluster", { skip }, () => {
  let cluster: GaleraCluster;
  let receiver: LogoutReceiver;
  const running: ClusterInstance[] = [];
  const closeAll = async () => {
    for (const instance of running.splice(0)) await instance.close().catch(() => undefined);
  };

  before(async () => {
    if (unavailable !== undefined) throw new Error(`a Galera cluster is required under CI=true: ${unavailable}`);
    cluster = await startGaleraCluster();
    receiver = await startReceiver();
    receiver.on("/logout", () => ({ status: 200 }));
  });
  after(async () => {
    await closeAll();
    await receiver?.close();
    await cluster?.stop();
  });

  // Counts read on each node after it has applied everything committed before (wsrep_sync_wait).
  const countsOnEveryNode = async (sql: string) => {
    const counts: string[] = [];
    for (const node of [1, 2, 3]) {
      await cluster.query(node, "SET SESSION wsrep_sync_wait = 1");
      counts.push(JSON.stringify(await cluster.query(node, sql)));
    }
    assert.ok(counts.every((c) => c === counts[0]), `the nodes disagree: ${counts.join(" / ")}`);
    return JSON.parse(counts[0]!) as Record<string, unknown>[];
  };

  it("should start instances at the same moment on different nodes with one schema and one of each secret", async () => {
    const name = clusterDatabaseName();
    // The database does not exist yet: each instance may create it.
    running.push(...(await Promise.all([1, 2, 3].map((node) => startClusterInstance(cluster.nodeUrl(node), name)))));
    const keys = await Promise.all(running.map((instance) => adminKey(instance.stores.secrets)));
    assert.equal(keys.filter((key) => key.generatedKey !== undefined).length, 1, "one admin key was generated");
    assert.ok(keys.every((key) => key.entry.sha256.equals(keys[0]!.entry.sha256)));
    const jwks = await Promise.all(running.map(async (i) => (await fetch(`http://127.0.0.1:${i.server.httpPort}/.well-known/jwks.json`)).text()));
    assert.ok(jwks.every((set) => set === jwks[0]), "every instance signs with the same generated key");

    const [migrations] = await countsOnEveryNode(`SELECT COUNT(*) AS n, COUNT(DISTINCT name) AS names FROM ${name}.migrations`);
    assert.deepEqual(migrations, { n: mysqlMigrations.length, names: mysqlMigrations.length });
    const secrets = await countsOnEveryNode(`SELECT name, COUNT(*) AS n FROM ${name}.service_secrets GROUP BY name ORDER BY name`);
    assert.ok(secrets.length >= 3, `page token, signing key and admin key secrets: ${JSON.stringify(secrets)}`);
    assert.ok(secrets.every((row) => row.n === 1));
    await countsOnEveryNode(`SELECT COUNT(*) AS tables FROM information_schema.tables WHERE table_schema = '${name}'`);
    // Pooled connections, the first one included, read causally.
    const parsed = parseDatabaseUrl(new URL(name, cluster.nodeUrl(2)).toString());
    assert.ok("location" in parsed);
    const database = await openDatabase(parsed.location, { poolSize: 2, connectTimeoutMs: 5000 });
    try {
      const settings = await Promise.all([1, 2, 3].map(() => database.dataSource.query("SELECT @@SESSION.wsrep_sync_wait AS w, SLEEP(0.05) AS s")));
      assert.deepEqual(settings.map(([row]) => Number(row.w)), [1, 1, 1]);
    } finally {
      await database.dataSource.destroy();
    }
    await closeAll();
  });

  it("should deliver every notification once and sweep every session once with three instances on three nodes", async () => {
    const load = await prepareLoad(cluster, receiver, [1, 2, 3].map((node) => cluster.nodeUrl(node)), running);
    const result = await runLoad(load, 8000);
    assert.deepEqual(result.errors, [], "no call failed");
    await load.verify(result, countsOnEveryNode);
    await closeAll();
  });

  it("should carry on behind HAProxy through the loss of a node, and recover an instance pinned to it", async () => {
    const load = await prepareLoad(cluster, receiver, [cluster.proxyUrl, cluster.proxyUrl, cluster.proxyUrl], running);
    const pinned = await startClusterInstance(cluster.nodeUrl(3), load.name);
    running.push(pinned);
    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${pinned.server.port}` }));
    const pinnedClient = sessionManagementClient(pinned.server.port);
    try {
      const loss = (async () => {
        await sleep(2500);
        await cluster.kill(3);
        await eventually("the pinned instance reports NOT_SERVING", async () => ((await status(health)) === Status.NOT_SERVING ? true : undefined), 20_000);
        const error = (await pinnedClient.querySessions({ count_requested: 5 }).catch((e: CallError) => e)) as CallError;
        assert.equal(error.code, grpc.status.UNAVAILABLE, `a call on the pinned instance: ${error.details}`);
        await cluster.rejoin(3);
        await eventually("the pinned instance serves again", async () => ((await status(health)) === Status.SERVING ? true : undefined), 30_000);
        await pinnedClient.querySessions({ count_requested: 5 });
      })();
      const result = await runLoad(load, 8000, loss);
      const other = result.errors.filter((e) => e.code !== grpc.status.UNAVAILABLE);
      assert.deepEqual(other, [], "only UNAVAILABLE reached a client during the switch");
      console.log(`behind HAProxy: ${result.errors.length} UNAVAILABLE answers during the loss of a node, ${result.acked.size} acknowledged session writes`);
      await load.verify(result, countsOnEveryNode);
    } finally {
      pinnedClient.close();
      await closeAll();
    }
  });
});

async function status(health: Client<typeof Health>): Promise<Status | undefined> {
  try {
    return (await health.check({ service: "" }, { timeoutMs: 2000 })).status;
  } catch {
    return undefined;
  }
}

interface Load {
  name: string;
  ports: number[];
  liveSubjects: string[];
  expiredSids: Set<string>;
  liveSids: Set<string>;
  verify(result: LoadResult, countsOnEveryNode: (sql: string) => Promise<Record<string, unknown>[]>): Promise<void>;
}

interface LoadResult {
  /** Keys of sessions whose CreateSession and UpdateSession were acknowledged. */
  acked: Set<string>;
  /** Session ids reported removed by RemoveSessions, every time one was. */
  removed: string[];
  errors: { method: string; code: number; details: string }[];
  /** Calls answered, by method. */
  calls: Record<string, number>;
}

const perSubject = 5;
const liveCount = 150;
const expiredCount = 150;

// Three instances on `urls`, delivering and sweeping, one relying party,
// sessions to remove by subject and sessions that expired long ago (the
// sweepers start on them at once, alongside the load that follows).
async function prepareLoad(cluster: GaleraCluster, receiver: LogoutReceiver, urls: string[], running: ClusterInstance[]): Promise<Load> {
  const name = clusterDatabaseName();
  const instances = await Promise.all(urls.map((url) => startClusterInstance(url, name, delivering)));
  running.push(...instances);
  const stores = instances[0]!.stores;
  const path = `/logout/${name}`;
  receiver.on(path, () => ({ status: 200 }));
  await stores.clients.put({ clientId: "rp", enabled: true, backchannelLogoutUri: receiver.url(path), backchannelLogoutSessionRequired: true });
  const liveSubjects = Array.from({ length: liveCount / perSubject }, (_, i) => `live-${i}`);
  const live = Array.from({ length: liveCount }, (_, i) => newSession({ subjectId: liveSubjects[i % liveSubjects.length], clientIds: ["rp"], expires: future() }));
  const expired = Array.from({ length: expiredCount }, () => newSession({ clientIds: ["rp"] }));
  await stores.transaction(async (tx) => {
    for (const session of [...live, ...expired]) await tx.sessions.create(session);
  });
  const expiredSids = new Set(expired.map((s) => s.sessionId!));
  const liveSids = new Set(live.map((s) => s.sessionId!));
  const count = async (sql: string) => Number(((await cluster.query<{ n: unknown }>(1, sql))[0])?.n);
  return {
    name,
    ports: instances.map((i) => i.server.port),
    liveSubjects,
    expiredSids,
    liveSids,
    async verify(result, countsOnEveryNode) {
      assert.equal(result.removed.length, new Set(result.removed).size, "no session was removed twice");
      assert.ok(result.removed.every((sid) => liveSids.has(sid)));
      if (result.errors.length === 0) assert.equal(result.removed.length, liveCount, "every live session removed once");
      await eventually("every expired session swept", async () => ((await count(`SELECT COUNT(*) AS n FROM ${name}.server_side_sessions WHERE expires < NOW()`)) === 0 ? true : undefined), 60_000);
      const expected = liveCount + expiredCount;
      await eventually("every notification delivered", async () => ((await count(`SELECT COUNT(*) AS n FROM ${name}.logout_notifications WHERE status = 'delivered'`)) === expected ? true : undefined), 60_000);
      const sids = receiver.to(path).map((request) => String(decodeJwt(request.token!).sid));
      assert.equal(sids.length, new Set(sids).size, "no notification was delivered twice");
      assert.deepEqual([...new Set(sids)].sort(), [...liveSids, ...expiredSids].sort(), "every removed and swept session notified");
      const [outbox] = await countsOnEveryNode(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT session_id) AS sessions, SUM(status = 'delivered') AS delivered FROM ${name}.logout_notifications`,
      );
      assert.deepEqual({ ...outbox, delivered: Number(outbox!.delivered) }, { n: expected, sessions: expected, delivered: expected }, "one row per session, all delivered, on every node");
      const keys = (await countsOnEveryNode(`SELECT CAST(session_key AS CHAR) AS k FROM ${name}.server_side_sessions ORDER BY session_key`)).map((row) => String(row.k));
      const present = new Set(keys);
      assert.deepEqual([...result.acked].filter((key) => !present.has(key)), [], "every acknowledged write is on every node");
      assert.deepEqual(keys.filter((k) => !k.startsWith("w-")), [], "no removed or expired session remains");
      console.log(
        `${result.acked.size} acknowledged session writes, ${result.removed.length} sessions removed, ${result.errors.length} failed calls, calls answered ${JSON.stringify(result.calls)}; conflicts retried so far in this process: ${conflictCounters.retried} in ${conflictCounters.runs} transactions and statements, given up: ${conflictCounters.exhausted}`,
      );
    },
  };
}

// Runs, on every instance at once and for `durationMs` (and until `alongside`
// settles): SessionStore writes (create then renew), RemoveSessions over the
// live subjects in an order of its own, and QuerySessions pages.
async function runLoad(load: Load, durationMs: number, alongside: Promise<void> = Promise.resolve()): Promise<LoadResult> {
  const result: LoadResult = { acked: new Set(), removed: [], errors: [], calls: {} };
  const answered = (method: string) => (result.calls[method] = (result.calls[method] ?? 0) + 1);
  const end = Date.now() + durationMs;
  const record = (method: string) => (error: CallError) => {
    result.errors.push({ method, code: error.code, details: error.details });
  };
  const workers = load.ports.flatMap((port, index) => {
    const store = sessionStoreClient(port);
    // Another instance, on another node when they are pinned: it must find the session at once.
    const reader = sessionStoreClient(load.ports[(index + 1) % load.ports.length]!);
    const admin = sessionManagementClient(port);
    const writer = async () => {
      for (let n = 0; Date.now() < end; n++) {
        const key = `w-${index}-${n}`;
        const ok = await store
          .createSession({ session: { key, subject_id: `writer-${index}`, session_id: `wsid-${index}-${n}`, expires: timestamp(future()) } }, { deadlineMs: 20_000 })
          .then(() => store.updateSession({ key, renewed: timestamp(new Date()), expires: timestamp(future()) }, { deadlineMs: 20_000 }))
          .then(() => reader.getSession({ key }, { deadlineMs: 20_000 }))
          .then(
            () => true,
            (e: CallError) => (record("SessionStore")(e), false),
          );
        answered("SessionStore");
        if (ok) result.acked.add(key);
      }
    };
    // Every subject, in an order of its own, again and again until the time
    // is up and once more after: the other instances compete for the same sessions.
    const remover = async () => {
      const subjects = [...load.liveSubjects].sort(() => Math.random() - 0.5);
      const pass = async () => {
        for (const subject of subjects) {
          await admin.removeSessions({ subject_id: subject }, { deadlineMs: 20_000 }).then(
            (response) => result.removed.push(...(response.session_ids as string[])),
            record("RemoveSessions"),
          );
          answered("RemoveSessions");
        }
      };
      while (Date.now() < end) await pass();
      await pass();
    };
    const querier = async () => {
      while (Date.now() < end) {
        await admin.querySessions({ count_requested: 25 }, { deadlineMs: 20_000 }).then(() => undefined, record("QuerySessions"));
        answered("QuerySessions");
      }
    };
    return [
      Promise.all([writer(), remover(), querier()]).finally(() => {
        store.close();
        reader.close();
        admin.close();
      }),
    ];
  });
  await Promise.all([...workers, alongside]);
  return result;
}
