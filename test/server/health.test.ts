import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/ts/grpc/health/v1/health_pb.js";
import { startServer, type RunningServer } from "../../src/server/server.js";
import type { Stores } from "../../src/store/stores.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { callError, grpc, sessionManagementClient, type SessionManagementClient } from "../support/grpc-client.js";
import { startTestServer, testConfig, type TestServer } from "../support/server.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const [sqlite, mysql] = await testBackends();

/** A health client that presents no credential at all, as probes and load balancers do. */
function healthClient(port: number): Client<typeof Health> {
  return createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
}

/** The statuses of one Watch call, read one at a time; undefined once the stream has ended (normally or not). */
function watch(client: Client<typeof Health>, service: string) {
  const abort = new AbortController();
  const stream = client.watch({ service }, { signal: abort.signal })[Symbol.asyncIterator]();
  return {
    async next(): Promise<Status | undefined> {
      try {
        const result = await stream.next();
        return result.done ? undefined : result.value.status;
      } catch {
        return undefined;
      }
    },
    cancel: () => abort.abort(),
  };
}

/** GET on the cleartext HTTP/1.1 port: the status code. */
function probe(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, agent: false }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode!));
      })
      .on("error", reject);
  });
}

describe("grpc.health.v1.Health", () => {
  let server: TestServer;
  let client: Client<typeof Health>;
  before(async () => {
    server = await startTestServer(sqlite!);
    client = healthClient(server.port);
  });
  after(async () => {
    await server?.stop();
  });

  it("should report the server and each service as SERVING to a caller without credentials", async () => {
    assert.equal((await client.check({ service: "" })).status, Status.SERVING);
    assert.equal((await client.check({ service: "sessionmanagement.v1.SessionManagement" })).status, Status.SERVING);
    assert.equal((await client.check({ service: "sessionmanagement.v1.SessionStore" })).status, Status.SERVING);
  });

  it("should answer NOT_FOUND for a service it does not offer", async () => {
    const error = await client.check({ service: "example.v1.Unknown" }).then(
      () => assert.fail("expected NOT_FOUND"),
      (e: unknown) => ConnectError.from(e),
    );
    assert.equal(error.code, Code.NotFound);
  });

  it("should watch a service it does not offer as SERVICE_UNKNOWN", async () => {
    const statuses = watch(client, "example.v1.Unknown");
    assert.equal(await statuses.next(), Status.SERVICE_UNKNOWN);
    statuses.cancel();
  });

  it("should answer probes on the HTTP/1.1 port while the database answers", async () => {
    assert.equal(await probe(server.httpPort, "/healthz"), 200);
    assert.equal(await probe(server.httpPort, "/readyz"), 200);
  });

  it("should stream SERVING, then NOT_SERVING as soon as the server shuts down", { timeout: 20_000 }, async () => {
    const stopping = await startTestServer(sqlite!);
    const statuses = watch(healthClient(stopping.port), "sessionmanagement.v1.SessionManagement");
    assert.equal(await statuses.next(), Status.SERVING);
    const stopped = stopping.stop();
    assert.equal(await statuses.next(), Status.NOT_SERVING);
    // Nothing follows: the stream ends when the grace period does.
    assert.equal(await statuses.next(), undefined);
    await stopped;
  });
});

// A real outage: the server reaches MariaDB through a TCP proxy that is cut
// (every connection reset, new ones refused) and then restored.
describe("health during a database outage (mysql)", { skip: mysql!.skip }, () => {
  let proxy: TcpProxy;
  let stores: Stores;
  let removeDatabase: () => Promise<void>;
  let server: RunningServer;
  let health: Client<typeof Health>;
  let sessions: SessionManagementClient;

  before(async () => {
    const empty = await mysql!.createEmpty();
    removeDatabase = empty.remove;
    const direct = new URL(empty.url);
    proxy = await startTcpProxy(direct.hostname, Number(direct.port || 3306));
    const viaProxy = new URL(empty.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const parsed = parseDatabaseUrl(viaProxy.toString());
    if ("error" in parsed) throw new Error(parsed.error);
    const database = await openDatabase(parsed.location, { poolSize: 4, connectTimeoutMs: 2000 });
    await migrate(database);
    stores = createStores(database);
    server = await startServer(testConfig({ databaseUrl: viaProxy.toString(), healthCheckIntervalMs: 200 }), stores, pino({ level: "silent" }));
    health = healthClient(server.port);
    sessions = sessionManagementClient(server.port);
  });
  after(async () => {
    sessions?.close();
    await server?.close();
    await proxy?.restore();
    await stores?.close();
    await removeDatabase?.();
    await proxy?.close();
  });

  const statusOf = async () => (await health.check({ service: "" })).status;
  const outage = async () => {
    await proxy.cut();
    await eventually("NOT_SERVING", async () => ((await statusOf()) === Status.NOT_SERVING ? true : undefined), 10_000);
  };
  const recovery = async () => {
    await proxy.restore();
    await eventually("SERVING again", async () => ((await statusOf()) === Status.SERVING ? true : undefined), 10_000);
  };

  it("should serve through the proxy once its first database check passed", async () => {
    assert.ok(proxy.accepted > 0, "the server's database connections go through the proxy");
    // The server starts NOT_SERVING and reports SERVING after the first check answers.
    await eventually("SERVING", async () => ((await statusOf()) === Status.SERVING ? true : undefined), 10_000);
    assert.equal(await probe(server.httpPort, "/readyz"), 200);
    assert.equal((await sessions.querySessions({ subject_id: "nobody" })).results.length, 0);
  });

  it("should turn NOT_SERVING, fail /readyz and answer calls with UNAVAILABLE while the database is unreachable", { timeout: 30_000 }, async () => {
    await outage();
    try {
      assert.equal((await health.check({ service: "sessionmanagement.v1.SessionManagement" })).status, Status.NOT_SERVING);
      assert.equal(await probe(server.httpPort, "/readyz"), 503);
      assert.equal(await probe(server.httpPort, "/healthz"), 200, "the process itself is fine");
      assert.equal(await probe(server.httpPort, "/metrics"), 200, "metrics can still be scraped");
      const read = await callError(sessions.querySessions({ subject_id: "alice" }));
      assert.equal(read.code, grpc.status.UNAVAILABLE, `QuerySessions: ${read.details}`);
      const write = await callError(sessions.removeSessions({ subject_id: "alice" }));
      assert.equal(write.code, grpc.status.UNAVAILABLE, `RemoveSessions: ${write.details}`);
    } finally {
      await recovery();
    }
  });

  it("should serve again, with /readyz 200 and working calls, once the database is back", { timeout: 30_000 }, async () => {
    await outage();
    await recovery();
    assert.equal(await probe(server.httpPort, "/readyz"), 200);
    assert.equal((await sessions.querySessions({ subject_id: "alice" })).results.length, 0);
    assert.equal((await sessions.removeSessions({ subject_id: "alice" })).sessions_removed, 0);
  });

  it("should stream SERVING, NOT_SERVING and SERVING again to a watcher across the outage", { timeout: 30_000 }, async () => {
    const statuses = watch(health, "");
    try {
      assert.equal(await statuses.next(), Status.SERVING);
      await proxy.cut();
      assert.equal(await statuses.next(), Status.NOT_SERVING);
      await proxy.restore();
      assert.equal(await statuses.next(), Status.SERVING);
    } finally {
      statuses.cancel();
      await proxy.restore();
    }
  });
});
