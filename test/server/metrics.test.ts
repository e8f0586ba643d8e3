import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { newGrant } from "../support/fixtures.js";
import { callError, clientRegistryClient, grpc, grpcServiceClient, sessionManagementClient, type SessionManagementClient } from "../support/grpc-client.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { bearerInterceptor } from "../support/test-credentials.js";

const sessionManagement = { grpc_service: "sessionmanagement.v1.SessionManagement", grpc_method: "QuerySessions" };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let sequence = 0;

/** One scrape of /metrics, with a look-up by metric name and labels. */
interface Scrape {
  contentType: string;
  text: string;
  /** The value of the one sample with this name whose labels include `labels`; undefined if there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of one name, with its labels. */
  samples(name: string): { labels: Record<string, string>; value: number }[];
}

/** GETs /metrics on the cleartext HTTP/1.1 port, as Prometheus does, and parses the text format. */
async function scrape(port: number): Promise<Scrape> {
  const { contentType, text } = await new Promise<{ contentType: string; text: string }>((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/metrics", agent: false }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () =>
          response.statusCode === 200
            ? resolve({ contentType: String(response.headers["content-type"]), text: body })
            : reject(new Error(`GET /metrics answered ${response.statusCode}`)),
        );
      })
      .on("error", reject);
  });
  const all = text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
  const samples = (name: string) => all.filter((s) => s.name === name).map(({ labels, value }) => ({ labels, value }));
  return {
    contentType,
    text,
    samples,
    value(name, labels = {}) {
      const found = samples(name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
      return found[0]?.value;
    },
  };
}

for (const backend of await testBackends()) {
  describe(`metrics and request ids (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let client: SessionManagementClient;
    before(async () => {
      server = await startTestServer(backend);
      client = sessionManagementClient(server.port);
    });
    after(async () => {
      client?.close();
      await server?.stop();
    });

    it("should count calls by service, method and status code, and time them", async () => {
      const handled = (scraped: Scrape, code: string) => scraped.value("grpc_server_handled_total", { ...sessionManagement, grpc_code: code }) ?? 0;
      const timed = (scraped: Scrape) => scraped.value("grpc_server_handling_seconds_count", sessionManagement) ?? 0;
      const before = await scrape(server.httpPort);

      for (let i = 0; i < 3; i++) await client.querySessions({ subject_id: "alice" });
      assert.equal((await callError(client.querySessions({ count_requested: -5 }))).code, grpc.status.INVALID_ARGUMENT);
      const anonymous = sessionManagementClient(server.port, { bearer: null });
      try {
        assert.equal((await callError(anonymous.querySessions({ subject_id: "alice" }))).code, grpc.status.UNAUTHENTICATED);
      } finally {
        anonymous.close();
      }

      const after = await scrape(server.httpPort);
      assert.match(after.contentType, /^text\/plain; version=0\.0\.4/);
      assert.equal(handled(after, "OK") - handled(before, "OK"), 3);
      assert.equal(handled(after, "InvalidArgument") - handled(before, "InvalidArgument"), 1);
      assert.equal(handled(after, "Unauthenticated") - handled(before, "Unauthenticated"), 1);
      assert.equal(timed(after) - timed(before), 5, "every call is timed, failed ones too");

      const buckets = after
        .samples("grpc_server_handling_seconds_bucket")
        .filter((s) => s.labels.grpc_service === sessionManagement.grpc_service && s.labels.grpc_method === "QuerySessions");
      assert.ok(buckets.length > 2);
      assert.equal(buckets.at(-1)?.labels.le, "+Inf");
      assert.equal(buckets.at(-1)?.value, timed(after));
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, "buckets are cumulative");
      assert.ok(after.value("grpc_server_handling_seconds_sum", sessionManagement)! > 0);
    });

    it("should report the database pool and the process", async () => {
      const scraped = await scrape(server.httpPort);
      for (const state of ["in_use", "idle", "waiting"]) {
        const value = scraped.value("db_pool_connections", { state });
        assert.ok(value !== undefined && value >= 0, `db_pool_connections{state="${state}"}`);
      }
      assert.ok(scraped.value("db_pool_connections", { state: "in_use" })! + scraped.value("db_pool_connections", { state: "idle" })! >= 1);
      assert.ok(scraped.value("process_cpu_user_seconds_total")! > 0);
      assert.ok(scraped.value("process_resident_memory_bytes")! > 0);
      assert.ok(scraped.value("nodejs_heap_size_used_bytes")! > 0);
      assert.ok(scraped.samples("nodejs_eventloop_lag_seconds").length > 0);
    });

    it("should report the notifications RemoveSessions queued as pending", async () => {
      const pending = async () => (await scrape(server.httpPort)).value("logout_notifications_queued", { status: "pending" }) ?? 0;
      const before = await pending();
      const n = ++sequence;
      for (const id of [`web-${n}`, `mobile-${n}`]) {
        await server.db.stores.clients.put({ clientId: id, enabled: true, backchannelLogoutUri: `https://${id}.example.com/logout`, backchannelLogoutSessionRequired: true });
      }
      await createSessions(server.db.stores, [
        { subjectId: `queued-${n}`, clientIds: [`web-${n}`, `mobile-${n}`] },
        { subjectId: `queued-${n}`, clientIds: [`web-${n}`] },
      ]);
      const removed = await client.removeSessions({ subject_id: `queued-${n}` });
      assert.equal(removed.notifications_queued, 3);
      assert.equal((await pending()) - before, 3);
    });

    describe("x-request-id", () => {
      let sessions: Client<typeof SessionManagement>;
      before(() => {
        sessions = createClient(SessionManagement, createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}`, interceptors: [bearerInterceptor()] }));
      });

      it("should give every response a fresh request id", async () => {
        const ids: (string | null)[] = [];
        for (let i = 0; i < 2; i++) await sessions.querySessions({ subjectId: "alice" }, { onHeader: (header) => ids.push(header.get("x-request-id")) });
        assert.match(ids[0] ?? "", uuid);
        assert.match(ids[1] ?? "", uuid);
        assert.notEqual(ids[0], ids[1]);
      });

      it("should echo the caller's request id, on failures too", async () => {
        let echoed: string | null = null;
        await sessions.querySessions({ subjectId: "alice" }, { headers: { "x-request-id": "trace-4bf92f35.01" }, onHeader: (header) => (echoed = header.get("x-request-id")) });
        assert.equal(echoed, "trace-4bf92f35.01");
        const error = await sessions.querySessions({ countRequested: -5 }, { headers: { "x-request-id": "trace-failed-1" } }).then(
          () => assert.fail("expected INVALID_ARGUMENT"),
          (e: unknown) => ConnectError.from(e),
        );
        assert.equal(error.code, Code.InvalidArgument);
        assert.equal(error.metadata.get("x-request-id"), "trace-failed-1");
      });

      it("should carry a request id on calls refused for lack of credentials", async () => {
        const anonymous = createClient(SessionManagement, createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}` }));
        const error = await anonymous.querySessions({ subjectId: "alice" }).then(
          () => assert.fail("expected UNAUTHENTICATED"),
          (e: unknown) => ConnectError.from(e),
        );
        assert.equal(error.code, Code.Unauthenticated);
        assert.match(error.metadata.get("x-request-id") ?? "", uuid);
      });

      it("should replace a request id that is not a short token with a fresh one", async () => {
        let echoed: string | null = null;
        const offered = `bad id\twith spaces ${"x".repeat(200)}`;
        await sessions.querySessions({ subjectId: "alice" }, { headers: { "x-request-id": offered }, onHeader: (header) => (echoed = header.get("x-request-id")) });
        assert.match(echoed ?? "", uuid);
      });
    });
  });

  describe(`logout notification delivery metrics (${backend.name})`, { skip: backend.skip }, () => {
    let receiver: LogoutReceiver;
    let server: TestServer;
    before(async () => {
      receiver = await startReceiver();
      server = await startTestServer(backend, {
        notifier: true,
        notifierAllowAddresses: "127.0.0.1",
        allowHttpLogoutUris: true,
        notifierPollMs: 200,
        notifierRetryBaseMs: 50,
        notifierRetryMaxMs: 200,
      });
    });
    after(async () => {
      await server?.stop();
      await receiver?.close();
    });

    it("should count deliveries and failed attempts, and drain the pending backlog", { timeout: 60_000 }, async () => {
      const n = ++sequence;
      const flaky = `/flaky-${n}/logout`;
      // The flaky relying party fails its first notification; the retry gets through.
      receiver.on(flaky, (attempt) => (attempt === 1 ? { status: 503 } : { status: 200 }));
      const registry = clientRegistryClient(server.port);
      const sessions = sessionManagementClient(server.port);
      try {
        await registry.putClient({ client: { client_id: `steady-${n}`, backchannel_logout_uri: receiver.url(`/steady-${n}/logout`) } });
        await registry.putClient({ client: { client_id: `flaky-${n}`, backchannel_logout_uri: receiver.url(flaky) } });
        await createSessions(server.db.stores, [
          { subjectId: `delivered-${n}`, clientIds: [`steady-${n}`, `flaky-${n}`] },
          { subjectId: `delivered-${n}`, clientIds: [`steady-${n}`] },
        ]);
        assert.equal((await sessions.removeSessions({ subject_id: `delivered-${n}` })).notifications_queued, 3);
      } finally {
        registry.close();
        sessions.close();
      }

      const settled = await eventually("three deliveries counted", async () => {
        const scraped = await scrape(server.httpPort);
        return scraped.value("logout_notification_attempts_total", { outcome: "delivered" }) === 3 ? scraped : undefined;
      });
      assert.equal(settled.value("logout_notification_attempts_total", { outcome: "failed" }), 1);
      assert.equal(settled.value("logout_notification_attempts_total", { outcome: "dead" }) ?? 0, 0);
      assert.equal(receiver.received.length, 4, "three notifications, one of them sent twice");
      await eventually("an empty backlog", async () => {
        const scraped = await scrape(server.httpPort);
        const waiting = (scraped.value("logout_notifications_queued", { status: "pending" }) ?? 0) + (scraped.value("logout_notifications_queued", { status: "failed" }) ?? 0);
        return waiting === 0 ? true : undefined;
      });
    });
  });

  describe(`termination job metrics (${backend.name})`, { skip: backend.skip }, () => {
    const methods = ["StartTerminationJob", "CancelTerminationJob"] as const;
    let server: TestServer;
    let jobs: ReturnType<typeof grpcServiceClient<(typeof methods)[number]>>;
    before(async () => {
      // Batches of two sessions; a slow job (a session a second) stays running long enough to be seen and cancelled.
      server = await startTestServer(backend, { terminationJobs: true, terminationPollMs: 50, terminationBatchSize: 2, allowHttpLogoutUris: true });
      jobs = grpcServiceClient(server.port, "session_termination.proto", "SessionTermination", methods);
      const { stores } = server.db;
      await stores.clients.put({ clientId: "jobs-rp", enabled: true, backchannelLogoutUri: "http://127.0.0.1:9/logout", backchannelLogoutSessionRequired: false });
      await createSessions(stores, Array.from({ length: 5 }, (_, i) => ({ subjectId: `ended-${i}`, sessionId: `ended-${i}`, clientIds: ["jobs-rp"] })));
      await createSessions(stores, Array.from({ length: 30 }, (_, i) => ({ subjectId: `slow-${i}`, clientIds: ["slow-rp"] })));
      for (let i = 0; i < 3; i++) await stores.grants.store(newGrant({ type: "refresh_token", clientId: "jobs-rp", subjectId: `ended-${i}`, sessionId: `ended-${i}` }));
    });
    after(async () => {
      jobs?.close();
      await server?.stop();
    });

    it("should count what jobs terminate, time their batches, count jobs by how they ended, and show the active ones", { timeout: 60_000 }, async () => {
      const before = await scrape(server.httpPort);
      for (const state of ["succeeded", "cancelled", "failed"]) assert.equal(before.value("termination_jobs_ended_total", { state }), 0, state);
      for (const kind of ["sessions", "tokens", "consents", "notifications"]) assert.equal(before.value("termination_job_terminated_total", { kind }), 0, kind);
      assert.equal(before.value("termination_job_batch_seconds_count"), 0);

      await jobs.startTerminationJob({ idempotency_key: "metrics-ended", filter: { client_id: "jobs-rp" }, actions: {} });
      const done = await eventually("the job counted as succeeded", async () => {
        const scraped = await scrape(server.httpPort);
        return scraped.value("termination_jobs_ended_total", { state: "succeeded" }) === 1 ? scraped : undefined;
      });
      assert.equal(done.value("termination_job_terminated_total", { kind: "sessions" }), 5);
      assert.equal(done.value("termination_job_terminated_total", { kind: "tokens" }), 3);
      assert.equal(done.value("termination_job_terminated_total", { kind: "notifications" }), 5);
      // Five sessions in batches of two: three batches, the last one short.
      assert.equal(done.value("termination_job_batch_seconds_count"), 3);
      assert.ok(done.value("termination_job_batch_seconds_sum")! > 0);
      assert.equal(done.value("termination_job_batch_seconds_bucket", { le: "+Inf" }), 3);
      assert.equal(done.value("termination_job_batch_failures_total"), 0);

      const { job } = await jobs.startTerminationJob({ idempotency_key: "metrics-slow", filter: { client_id: "slow-rp" }, actions: {}, sessions_per_second: 1 });
      await eventually("the slow job shown running", async () => ((await scrape(server.httpPort)).value("termination_jobs_active", { state: "running" }) === 1 ? true : undefined));
      await jobs.cancelTerminationJob({ job_id: job.job_id });
      const cancelled = await scrape(server.httpPort);
      assert.equal(cancelled.value("termination_jobs_ended_total", { state: "cancelled" }), 1);
      assert.equal(cancelled.value("termination_jobs_active", { state: "running" }), 0);
      assert.equal(cancelled.value("termination_jobs_active", { state: "pending" }), 0);
      assert.equal(cancelled.value("termination_jobs_ended_total", { state: "succeeded" }), 1);
    });
  });
}
