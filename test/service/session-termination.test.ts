import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Stores } from "../../src/store/stores.js";
import { testBackends } from "../support/backends.js";
import { callError, grpc, grpcServiceClient, serverStreamingCall, type Message } from "../support/grpc-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { permissionKeys } from "../support/test-credentials.js";
import { countRows, duplicateNotifications, seedTerminationWorld, type TerminationWorld } from "../support/termination-world.js";

const methods = ["PreviewTermination", "StartTerminationJob", "GetTerminationJob", "ListTerminationJobs", "CancelTerminationJob"] as const;

async function collect(port: number, service: string, method: string, request: Message, bearer?: string): Promise<Message[]> {
  const call = serverStreamingCall(port, "session_termination.proto", service, method, request, { bearer });
  try {
    const messages: Message[] = [];
    for await (const message of call.stream) messages.push(message as Message);
    return messages;
  } finally {
    call.close();
  }
}

for (const backend of await testBackends()) {
  describe(`SessionTermination and SessionExport over gRPC (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let client: ReturnType<typeof grpcServiceClient<(typeof methods)[number]>>;
    let stores: Stores;
    let world: TerminationWorld;
    let keys = 0;
    const key = () => `incident-${++keys}`;

    before(async () => {
      server = await startTestServer(backend, { terminationJobs: true, terminationPollMs: 50 });
      client = grpcServiceClient(server.port, "session_termination.proto", "SessionTermination", methods);
      stores = server.db.stores;
      world = await seedTerminationWorld(stores, 90, "svc");
    });
    after(async () => {
      client?.close();
      await server?.stop();
    });

    it("should preview exactly what a job then does, and watch it to the end", async () => {
      const request = { filter: { client_id: "A" }, actions: {} };
      const preview = await client.previewTermination(request);
      assert.equal(preview.is_estimate, false);
      assert.equal(preview.total.sessions, String(world.ofA));
      assert.equal(preview.total.tokens, String(world.ofA), "one refresh token per session, bound to it");
      assert.equal(preview.total.notifications, "90", "30 sessions with A only, 30 with A and B");
      const byClient = Object.fromEntries(preview.clients.map((c: Message) => [c.client_id, c]));
      assert.equal(byClient.A.figures.sessions, "60");
      assert.equal(byClient.A.notifiable, true);
      assert.equal(byClient.B.figures.notifications, "30");
      assert.equal(await stores.sessions.count({}), 90, "a preview changes nothing");

      const { job, created } = await client.startTerminationJob({ ...request, idempotency_key: key(), reason: "breach at A" });
      assert.equal(created, true);
      assert.match(job.job_id, /^job_/);
      assert.equal(job.expected_sessions, String(world.ofA));
      assert.equal(job.created_by, "test-admin");
      const updates = await collect(server.port, "SessionTermination", "WatchTerminationJob", { job_id: job.job_id });
      const last = updates.at(-1)!.job;
      assert.equal(last.state, "TERMINATION_JOB_STATE_SUCCEEDED");
      assert.deepEqual(last.progress, preview.total);
      assert.ok(last.end_time, "an ended job has its end time");
      assert.equal(await stores.sessions.count({ clientId: "A" }), 0);
      assert.equal(await stores.sessions.count({}), 30, "the sessions of B and C stay");
      assert.equal(await countRows(server.db.database, "logout_notifications"), 90);
      assert.equal(await duplicateNotifications(server.db.database), 0);

      const again = await client.getTerminationJob({ job_id: job.job_id });
      assert.deepEqual(again.job.progress, last.progress);
      const listed = await client.listTerminationJobs({ state: "TERMINATION_JOB_STATE_SUCCEEDED" });
      assert.ok(listed.jobs.some((j: Message) => j.job_id === job.job_id));
    });

    it("should return the same job for the same idempotency key, and refuse the key for another definition", async () => {
      const idempotencyKey = key();
      const request = { idempotency_key: idempotencyKey, filter: { subject_id: "nobody" }, actions: { revoke_consents: false } };
      const first = await client.startTerminationJob(request);
      const second = await client.startTerminationJob(request);
      assert.equal(second.created, false);
      assert.equal(second.job.job_id, first.job.job_id);
      const other = await callError(client.startTerminationJob({ ...request, filter: { subject_id: "somebody" } }));
      assert.equal(other.code, grpc.status.ALREADY_EXISTS);
      assert.match(other.details, /idempotency_key/);
    });

    it("should refuse bad input with the field named, changing nothing", async () => {
      const jobsBefore = (await client.listTerminationJobs({ count_requested: 1000 })).jobs.length;
      const sessionsBefore = await stores.sessions.count({});
      const cases: [Message, grpc.status, RegExp][] = [
        [{ idempotency_key: key() }, grpc.status.INVALID_ARGUMENT, /filter\.all_sessions/],
        [{ idempotency_key: key(), filter: {} }, grpc.status.INVALID_ARGUMENT, /filter\.all_sessions/],
        [{ idempotency_key: key(), filter: { all_sessions: true, subject_id: "x" } }, grpc.status.INVALID_ARGUMENT, /filter\.all_sessions/],
        [{ idempotency_key: key(), filter: { subject_id: "x".repeat(201) } }, grpc.status.INVALID_ARGUMENT, /filter\.subject_id/],
        [{ idempotency_key: key(), filter: { all_sessions: true }, actions: { client_ids: Array.from({ length: 1001 }, (_, i) => `c${i}`) } }, grpc.status.INVALID_ARGUMENT, /actions\.client_ids/],
        [{ idempotency_key: key(), filter: { all_sessions: true }, sessions_per_second: -1 }, grpc.status.INVALID_ARGUMENT, /sessions_per_second/],
        [{ filter: { all_sessions: true } }, grpc.status.INVALID_ARGUMENT, /idempotency_key/],
        [{ idempotency_key: key(), filter: { all_sessions: true }, reason: "r".repeat(501) }, grpc.status.INVALID_ARGUMENT, /reason/],
        [{ idempotency_key: key(), filter: { ip_address: "300.1.2.3/8" } }, grpc.status.INVALID_ARGUMENT, /filter\.ip_address/],
        [{ idempotency_key: key(), filter: { created: { from: { seconds: 10 }, to: { seconds: 5 } } } }, grpc.status.INVALID_ARGUMENT, /filter\.created/],
        // Times the server cannot read name their field under the filter, as every other filter error does.
        [{ idempotency_key: key(), filter: { created: { from: { seconds: 10, nanos: -1 } } } }, grpc.status.INVALID_ARGUMENT, /^filter\.created\.from: /],
        [{ idempotency_key: key(), filter: { renewed: { to: { seconds: 1e12 } } } }, grpc.status.INVALID_ARGUMENT, /^filter\.renewed\.to: /],
        [{ idempotency_key: key(), filter: { expires: { from: { seconds: -1e12 } } } }, grpc.status.INVALID_ARGUMENT, /^filter\.expires\.from: /],
        [{ idempotency_key: key(), filter: { state: 9 } }, grpc.status.INVALID_ARGUMENT, /^filter\.state: /],
        [{ idempotency_key: key(), filter: { all_sessions: true, issuer: "https://idp.example" } }, grpc.status.INVALID_ARGUMENT, /filter\.all_sessions/],
      ];
      for (const [request, code, field] of cases) {
        const error = await callError(client.startTerminationJob(request));
        assert.equal(error.code, code, `${JSON.stringify(request).slice(0, 100)}: ${error.details}`);
        assert.match(error.details, field);
      }
      const preview = await callError(client.previewTermination({ filter: {} }));
      assert.equal(preview.code, grpc.status.INVALID_ARGUMENT);
      for (const call of [client.getTerminationJob, client.cancelTerminationJob]) {
        assert.equal((await callError(call({ job_id: "job_0000000000000000000000000000" }))).code, grpc.status.NOT_FOUND);
        assert.equal((await callError(call({ job_id: "../etc" }))).code, grpc.status.INVALID_ARGUMENT);
        assert.equal((await callError(call({ job_id: "" }))).code, grpc.status.INVALID_ARGUMENT);
      }
      const watch = await collect(server.port, "SessionTermination", "WatchTerminationJob", { job_id: "job_0000000000000000000000000000" }).catch((e) => e);
      assert.equal(watch.code, grpc.status.NOT_FOUND);
      assert.equal((await client.listTerminationJobs({ count_requested: 1000 })).jobs.length, jobsBefore);
      assert.equal(await stores.sessions.count({}), sessionsBefore);
    });

    it("should select by the filters QuerySessions has beyond the first four: issuer, time ranges, state and IP address", async () => {
      const sessionsOf = async (filter: Message) => (await client.previewTermination({ filter })).total.sessions;
      const every = await sessionsOf({ all_sessions: true });
      assert.notEqual(every, "0");
      assert.equal(await sessionsOf({ issuer: "https://nowhere.example" }), "0");
      assert.equal(await sessionsOf({ created: { to: { seconds: 1 } } }), "0", "nothing was created before 1970-01-01T00:00:01Z");
      assert.equal(await sessionsOf({ created: { from: { seconds: 1 } } }), every);
      assert.equal(await sessionsOf({ renewed: { to: { seconds: 1 } } }), "0");
      assert.equal(await sessionsOf({ state: "SESSION_STATE_EXPIRED", expires: { from: { seconds: 1 } } }), await sessionsOf({ state: "SESSION_STATE_EXPIRED" }));
      assert.equal(await sessionsOf({ ip_address: "198.51.100.0/24" }), "0", "these sessions recorded no sign-in address");
      const { job } = await client.startTerminationJob({ idempotency_key: key(), filter: { issuer: "https://nowhere.example" } });
      assert.equal(job.expected_sessions, "0");
      assert.equal(job.filter.issuer, "https://nowhere.example", "the job keeps the filter it was given");
    });

    it("should cancel a job once, refuse to restart it by its key, and refuse to cancel a job that succeeded", async () => {
      const idempotencyKey = key();
      const request = { idempotency_key: idempotencyKey, filter: { client_id: "B" }, sessions_per_second: 1 };
      const { job } = await client.startTerminationJob(request);
      const cancelled = await client.cancelTerminationJob({ job_id: job.job_id });
      assert.equal(cancelled.job.state, "TERMINATION_JOB_STATE_CANCELLED");
      assert.equal(cancelled.job.cancelled_by, "test-admin");
      const twice = await client.cancelTerminationJob({ job_id: job.job_id });
      assert.deepEqual(twice.job.progress, cancelled.job.progress);
      const restart = await callError(client.startTerminationJob(request));
      assert.equal(restart.code, grpc.status.FAILED_PRECONDITION);
      assert.match(restart.details, /cancelled/);
      const done = (await client.listTerminationJobs({ state: "TERMINATION_JOB_STATE_SUCCEEDED" })).jobs[0];
      const late = await callError(client.cancelTerminationJob({ job_id: done.job_id }));
      assert.equal(late.code, grpc.status.FAILED_PRECONDITION);
    });

    it("should let only sessions.bulk start jobs, and sessions.read preview them", async () => {
      const writer = grpcServiceClient(server.port, "session_termination.proto", "SessionTermination", methods, { bearer: permissionKeys["sessions.write"] });
      const reader = grpcServiceClient(server.port, "session_termination.proto", "SessionTermination", methods, { bearer: permissionKeys["sessions.read"] });
      try {
        const denied = await callError(writer.startTerminationJob({ idempotency_key: key(), filter: { all_sessions: true } }));
        assert.equal(denied.code, grpc.status.PERMISSION_DENIED);
        const preview = await reader.previewTermination({ filter: { all_sessions: true } });
        assert.equal(preview.is_estimate, false);
      } finally {
        writer.close();
        reader.close();
      }
    });

    it("should export every matching session with its clients, and resume after a given batch", async () => {
      const all = await stores.sessions.count({});
      const batches = await collect(server.port, "SessionExport", "ExportSessions", { batch_size: 7, filter: {} });
      const sessions = batches.flatMap((b) => b.sessions);
      assert.equal(sessions.length, all);
      assert.ok(sessions.every((s: Message) => s.client_ids.length > 0 && s.subject_id.startsWith("svc-")));
      assert.equal(new Set(sessions.map((s: Message) => s.session_id)).size, all);
      const resumed = await collect(server.port, "SessionExport", "ExportSessions", { batch_size: 7, resume_token: batches[1]!.resume_token, filter: {} });
      assert.deepEqual(
        resumed.flatMap((b) => b.sessions).map((s: Message) => s.session_id),
        sessions.slice(14).map((s: Message) => s.session_id),
      );
      const wrong = await collect(server.port, "SessionExport", "ExportSessions", { resume_token: batches[1]!.resume_token, filter: { client_id: "C" } }).catch((e) => e);
      assert.equal(wrong.code, grpc.status.INVALID_ARGUMENT);
      assert.match(wrong.details, /resume_token/);
      const ofC = await collect(server.port, "SessionExport", "ExportSessions", { filter: { client_id: "C" } });
      assert.equal(ofC.flatMap((b) => b.sessions).length, await stores.sessions.count({ clientId: "C" }));
    });
  });
}
