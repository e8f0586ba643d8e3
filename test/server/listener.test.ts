import assert from "node:assert/strict";
import http2 from "node:http2";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { create } from "@bufbuild/protobuf";
import { pino } from "pino";
import { QuerySessionsResponseSchema, SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { listen } from "../../src/server/listener.js";
import { createRpcAdapter } from "../../src/server/rpc-adapter.js";
import { createStreamRpcListener } from "../../src/server/stream-rpc.js";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { startTestServer } from "../support/server.js";
import { callError, grpc, sessionManagementClient } from "../support/grpc-client.js";

const adapters = ["stream", "compat"] as const;

/** A listener whose QuerySessions takes `delayMs`, unless its call is aborted first; HTTP/2 served as `adapter` says. */
async function slowListener(adapter: (typeof adapters)[number], delayMs: number, maxConcurrentStreams = 100) {
  const shutdown = new AbortController();
  let started = 0;
  const rpc = createRpcAdapter({
    logger: pino({ level: "silent" }),
    fallback: (_request, response) => void response.writeHead(404).end(),
    onEarlyError: () => undefined,
    shutdownSignal: shutdown.signal,
    routes: (router) =>
      router.service(SessionManagement, {
        async querySessions(_request, context) {
          started++;
          await sleep(delayMs, undefined, { signal: context.signal });
          return create(QuerySessionsResponseSchema, { totalCount: 7 });
        },
        async removeSessions() {
          throw new Error("not used");
        },
      }),
  });
  const streams = adapter === "stream" ? createStreamRpcListener(rpc) : undefined;
  const listener = await listen(rpc.listener, { host: "127.0.0.1", port: 0, maxConcurrentStreams, streams });
  return { listener, shutdown, started: () => started };
}

for (const adapter of adapters) describe(`listen() with --http2-adapter ${adapter}`, () => {
  it("should let in-flight calls finish within the grace period, then stop", async () => {
    const { listener, shutdown, started } = await slowListener(adapter, 300);
    const client = sessionManagementClient(listener.port);
    const call = client.querySessions({});
    while (started() === 0) await sleep(5);
    const t0 = Date.now();
    await listener.close(5000, () => shutdown.abort());
    const response = await call;
    assert.equal(response.total_count, 7);
    assert.ok(Date.now() - t0 < 3000, "close should not wait for the whole grace period");
    const refused = await callError(client.querySessions({}, { deadlineMs: 2000 }));
    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    client.close();
  });

  it("should abort calls still running after the grace period and close anyway", async () => {
    const { listener, shutdown, started } = await slowListener(adapter, 60_000);
    const client = sessionManagementClient(listener.port);
    const call = callError(client.querySessions({}));
    while (started() === 0) await sleep(5);
    const t0 = Date.now();
    await listener.close(200, () => shutdown.abort());
    const elapsed = Date.now() - t0;
    const error = await call;
    assert.notEqual(error.code, grpc.status.OK);
    assert.ok(elapsed >= 200 && elapsed < 5000, `closed after ${elapsed} ms`);
    client.close();
  });

  it("should close promptly when idle connections are open", async () => {
    const { listener, shutdown } = await slowListener(adapter, 1);
    const client = sessionManagementClient(listener.port);
    await client.querySessions({});
    const t0 = Date.now();
    await listener.close(10_000, () => shutdown.abort());
    assert.ok(Date.now() - t0 < 2000);
    client.close();
  });

  it("should let a connection run at most the configured number of calls at once, queuing the rest", async () => {
    const { listener, shutdown, started } = await slowListener(adapter, 300, 2);
    const session = http2.connect(`http://127.0.0.1:${listener.port}`);
    const settings = await new Promise<http2.Settings>((resolve) => session.once("remoteSettings", resolve));
    assert.equal(settings.maxConcurrentStreams, 2);
    session.close();

    // grpc-js honours the limit: five calls on one connection, two running at a time.
    const client = sessionManagementClient(listener.port);
    const calls = Array.from({ length: 5 }, () => client.querySessions({}));
    await eventually("two calls running", () => (started() >= 2 ? true : undefined));
    await sleep(50);
    assert.equal(started(), 2, "the other three wait for a free stream");
    await Promise.all(calls);
    assert.equal(started(), 5);
    client.close();
    await listener.close(1000, () => shutdown.abort());
  });
});

describe("shutdown with a stalled client", () => {
  it("should cut off a connection whose client stopped reading an endless stream, once the grace period ends", { timeout: 15_000 }, async () => {
    const [sqlite] = await testBackends();
    const server = await startTestServer(sqlite!, { shutdownGraceMs: 300 });
    // A raw HTTP/2 client: it opens a health Watch, reads the first message,
    // then stops reading without cancelling and keeps its connection open.
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on("error", () => undefined);
    const stream = session.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Watch", "content-type": "application/grpc", te: "trailers" });
    stream.on("error", () => undefined);
    stream.end(Buffer.from([0, 0, 0, 0, 0])); // one empty HealthCheckRequest: the whole server
    await new Promise((resolve) => stream.once("data", resolve));
    stream.pause();

    const started = Date.now();
    await server.stop();
    assert.ok(Date.now() - started < 5000, `stopped after ${Date.now() - started} ms`);
    session.destroy();
  });
});
