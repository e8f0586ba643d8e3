import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ScalarType, create, type DescMessage, type DescMethod } from "@bufbuild/protobuf";
import { createContextValues } from "@connectrpc/connect";
import { pino } from "pino";
import { SessionStore, CreateSessionRequestSchema, CreateSessionResponseSchema } from "../../gen/ts/sessionmanagement/v1/session_store_pb.js";
import { allServices } from "../../src/server/routes.js";
import { auditInterceptor } from "../../src/service/audit-interceptor.js";
import { principalKey } from "../../src/service/auth/auth-interceptor.js";
import { auditedMethods } from "../../src/service/auth/permissions.js";
import type { AuditEvent } from "../../src/store/audit-log.js";
import { testBackends } from "../support/backends.js";
import {
  callError,
  clientRegistryClient,
  grantStoreClient,
  grpc,
  grpcServiceClient,
  logoutNotificationsClient,
  sessionManagementClient,
  sessionStoreClient,
  type Message,
} from "../support/grpc-client.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { permissionKeys, testApiKey } from "../support/test-credentials.js";

/** The full name of an audited method. */
const method = (name: string) => [...auditedMethods].find((m) => m.endsWith(`/${name}`)) ?? `not/audited-${name}`;
const seconds = (date: Date) => ({ seconds: String(Math.floor(date.getTime() / 1000)), nanos: (date.getTime() % 1000) * 1e6 });
const timeOf = (event: Message) => Number(event.time.seconds) * 1000 + Math.round(event.time.nanos / 1e6);

/** An event as the tests compare it: the request and outcome parsed, no id or time. */
function summary(event: Message) {
  return {
    principal: event.principal_id as string,
    method: event.method as string,
    request: JSON.parse(event.request_json) as unknown,
    code: event.code as string,
    outcome: event.outcome_json === "" ? undefined : (JSON.parse(event.outcome_json) as unknown),
  };
}

// What identity providers store as opaque payloads; they must never reach the trail.
const ticket = Buffer.from("ticket-bytes-that-must-stay-private");
const grantData = Buffer.from("grant-data-that-must-stay-private");

for (const backend of await testBackends()) {
  describe(`Audit trail (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let deadNotification: number;
    const clients: { close(): void }[] = [];
    const track = <T extends { close(): void }>(client: T) => (clients.push(client), client);
    let auditor: ReturnType<typeof auditClient>;

    const auditClient = (bearer: string | null) =>
      grpcServiceClient(server.port, "audit_log.proto", "AuditLog", ["ListAuditEvents"], { bearer });
    const list = async (request: Message = {}) => (await auditor.listAuditEvents({ count_requested: 1000, ...request })).events as Message[];

    before(async () => {
      server = await startTestServer(backend);
      auditor = track(auditClient(permissionKeys["audit.read"]));
      const { stores } = server.db;
      await stores.clients.put({ clientId: "web", enabled: true, backchannelLogoutUri: "https://web.example.com/logout", backchannelLogoutSessionRequired: true });
      await createSessions(stores, [
        { subjectId: "alice", sessionId: "alice-1", clientIds: ["web"] },
        { subjectId: "alice", sessionId: "alice-2", clientIds: ["web"] },
        { subjectId: "bob", sessionId: "bob-1" },
        { subjectId: "bob", sessionId: "bob-2" },
      ]);
      // A notification that gave up, for an operator to retry.
      await stores.outbox.enqueue([{ clientId: "web", subjectId: "dora", sessionId: "dora-1", reason: "admin_removal" }], new Date());
      const [claim] = await stores.transaction((tx) => tx.outbox.claimDue(new Date(), 1, 60_000), { isolation: "read-committed" });
      await stores.outbox.recordOutcome(claim!, { status: "dead", at: new Date(), error: "the relying party is gone" });
      deadNotification = claim!.id;
      // Written through the API as an identity provider would: these calls are not audited.
      const idp = track(sessionStoreClient(server.port, { bearer: permissionKeys["store.write"] }));
      await idp.createSession({ session: { key: "erin-key", subject_id: "erin", session_id: "erin-1", client_ids: ["web"], ticket } });
      const grants = track(grantStoreClient(server.port, { bearer: permissionKeys["store.write"] }));
      for (const key of ["carol-grant-1", "carol-grant-2"]) {
        await grants.storeGrant({ grant: { key, type: "refresh_token", client_id: "web", subject_id: "carol", data: grantData } });
      }
    });
    after(async () => {
      for (const client of clients) client.close();
      await server?.stop();
    });

    it("should record each state-changing call once, with the caller's id, the method, the request, the code and the counts", async () => {
      const started = Date.now();
      const operator = track(sessionManagementClient(server.port, { bearer: permissionKeys["sessions.write"] }));
      const notifications = track(logoutNotificationsClient(server.port, { bearer: permissionKeys["sessions.write"] }));
      const idp = track(sessionStoreClient(server.port, { bearer: permissionKeys["store.write"] }));
      const grants = track(grantStoreClient(server.port, { bearer: permissionKeys["store.write"] }));
      const admin = track(clientRegistryClient(server.port, { bearer: testApiKey }));
      const registry = track(clientRegistryClient(server.port, { bearer: permissionKeys["clients.admin"] }));

      const removed = await operator.removeSessions({ subject_id: "alice" });
      assert.deepEqual([...removed.session_ids].sort(), ["alice-1", "alice-2"]);
      assert.equal((await callError(operator.removeSessions({}))).code, grpc.status.INVALID_ARGUMENT);
      // Who tried without the permission is recorded; calls without valid credentials are only logged.
      const reader = track(sessionManagementClient(server.port, { bearer: permissionKeys["sessions.read"] }));
      assert.equal((await callError(reader.removeSessions({ subject_id: "bob" }))).code, grpc.status.PERMISSION_DENIED);
      const anonymous = track(sessionManagementClient(server.port, { bearer: null }));
      assert.equal((await callError(anonymous.removeSessions({ subject_id: "bob" }))).code, grpc.status.UNAUTHENTICATED);
      await track(sessionManagementClient(server.port, { bearer: permissionKeys["sessions.read"] })).querySessions({ subject_id: "bob" });
      await notifications.retryNotifications({ notification_ids: [String(deadNotification)] });
      await idp.deleteSession({ key: "erin-key", revoke_tokens: true, send_backchannel_logout_notification: true });
      await idp.deleteSessions({ subject_id: "bob" });
      await grants.removeGrants({ filter: { subject_id: "carol" } });
      await admin.putClient({ client: { client_id: "audited-rp", backchannel_logout_uri: "https://rp.example.com/logout" } });
      await registry.deleteClient({ client_id: "audited-rp" });
      const bulk = track(grpcServiceClient(server.port, "session_termination.proto", "SessionTermination", ["StartTerminationJob", "CancelTerminationJob"], { bearer: permissionKeys["sessions.bulk"] }));
      const { job } = await bulk.startTerminationJob({ idempotency_key: "audited-job", filter: { subject_id: "nobody" }, reason: "incident 7" });
      await bulk.cancelTerminationJob({ job_id: job.job_id });

      const all = await list();
      // A job's end is recorded too (no call of its own), in the transaction that ends it.
      const jobEvents = all.slice(-3).map(summary);
      assert.deepEqual(
        jobEvents.map((e) => [e.principal, e.method.split("/")[1], e.code]),
        [
          ["test-sessions.bulk", "StartTerminationJob", "OK"],
          ["test-sessions.bulk", "TerminationJobEnded", "CANCELLED"],
          ["test-sessions.bulk", "CancelTerminationJob", "OK"],
        ],
      );
      assert.deepEqual(jobEvents[0]!.request, { idempotencyKey: "audited-job", filter: { subjectId: "nobody" }, reason: "incident 7" });
      assert.equal((jobEvents[1]!.request as { jobId: string }).jobId, job.job_id);
      assert.equal((jobEvents[2]!.outcome as { job: { state: string } }).job.state, "TERMINATION_JOB_STATE_CANCELLED");
      const events = all.filter((e) => !e.method.endsWith("/TerminationJobEnded"));
      assert.deepEqual(events.slice(0, -2).map(summary), [
        {
          principal: "test-sessions.write",
          method: method("RemoveSessions"),
          request: { subjectId: "alice" },
          code: "OK",
          outcome: { sessionsRemoved: 2, notificationsQueued: 2, sessionIds: removed.session_ids },
        },
        { principal: "test-sessions.write", method: method("RemoveSessions"), request: {}, code: "INVALID_ARGUMENT", outcome: undefined },
        { principal: "test-sessions.read", method: method("RemoveSessions"), request: { subjectId: "bob" }, code: "PERMISSION_DENIED", outcome: undefined },
        {
          principal: "test-sessions.write",
          method: method("RetryNotifications"),
          request: { notificationIds: [String(deadNotification)] },
          code: "OK",
          outcome: { notificationsRetried: 1 },
        },
        {
          principal: "test-store.write",
          method: method("DeleteSession"),
          request: { key: "erin-key", revokeTokens: true, sendBackchannelLogoutNotification: true },
          code: "OK",
          outcome: { sessionsRemoved: 1, notificationsQueued: 1 },
        },
        {
          principal: "test-store.write",
          method: method("DeleteSessions"),
          request: { subjectId: "bob" },
          code: "OK",
          outcome: { sessionsRemoved: 2, sessionIds: ["bob-1", "bob-2"] },
        },
        { principal: "test-store.write", method: method("RemoveGrants"), request: { filter: { subjectId: "carol" } }, code: "OK", outcome: { grantsRemoved: 2 } },
        {
          principal: "test-admin",
          method: method("PutClient"),
          request: { client: { clientId: "audited-rp", backchannelLogoutUri: "https://rp.example.com/logout" } },
          code: "OK",
          outcome: { client: { clientId: "audited-rp", enabled: true, backchannelLogoutUri: "https://rp.example.com/logout", backchannelLogoutSessionRequired: true, logoutTokenType: "LOGOUT_TOKEN_TYPE_LOGOUT_JWT" } },
        },
        { principal: "test-clients.admin", method: method("DeleteClient"), request: { clientId: "audited-rp" }, code: "OK", outcome: { clientsRemoved: 1 } },
      ]);
      assert.deepEqual(new Set(events.map((e) => e.method)), auditedMethods, "every audited method was called once or twice");
      const ids = events.map((e) => Number(e.id));
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "ids increase with time");
      for (const event of events) assert.ok(timeOf(event) >= started - 1000 && timeOf(event) <= Date.now() + 1000, "recorded at the time of the call");
    });

    it("should keep secrets and opaque payloads out of the trail, and record no read or identity-provider write", async () => {
      const trail = JSON.stringify(await list());
      for (const secret of [testApiKey, ...Object.values(permissionKeys)]) assert.ok(!trail.includes(secret), "no API key in the trail");
      for (const payload of [ticket, grantData]) {
        assert.ok(!trail.includes(payload.toString("base64")) && !trail.includes(payload.toString()), "no ticket or grant data in the trail");
      }
      for (const read of ["QuerySessions", "CreateSession", "StoreGrant", "ListAuditEvents"]) assert.ok(!trail.includes(`/${read}"`), `${read} is not recorded`);
    });

    it("should write each event to the audit_events table", async () => {
      const { dataSource, dialect } = server.db.database;
      const rows = (await dataSource.query("SELECT id, principal_id, method, request_json, code, outcome_json FROM audit_events ORDER BY id")) as Record<string, unknown>[];
      const events = await list();
      assert.deepEqual(
        rows.map((row) => [dialect.readPk(row.id), dialect.readText(row.principal_id), dialect.readText(row.method), dialect.readText(row.request_json), dialect.readText(row.code), row.outcome_json === null ? null : dialect.readText(row.outcome_json)]),
        events.map((e) => [Number(e.id), e.principal_id, e.method, e.request_json, e.code, e.outcome_json === "" ? null : e.outcome_json]),
      );
      assert.equal(rows.length, 12, "9 calls, a termination job's start, end and cancellation");
      const failed = rows.find((row) => dialect.readText(row.code) !== "OK")!;
      assert.equal(failed.outcome_json, null, "a failed call has no outcome");
    });

    describe("reading the trail", () => {
      // Events recorded an hour apart, long ago, by one credential: the filters have clear edges.
      const hour = (n: number) => new Date(Date.UTC(2020, 0, 1, n));
      before(async () => {
        for (let n = 0; n < 5; n++) {
          await server.db.stores.audit.record({
            at: hour(n),
            principalId: "nightly-job",
            method: method(n % 2 === 0 ? "RemoveSessions" : "DeleteClient"),
            requestJson: JSON.stringify({ run: n }),
            code: "OK",
            outcomeJson: "{}",
          });
        }
      });
      const runs = (events: Message[]) => events.map((e) => (JSON.parse(e.request_json) as { run: number }).run);

      it("should filter by credential id and by method, combined with AND", async () => {
        assert.deepEqual(runs(await list({ principal_id: "nightly-job" })), [0, 1, 2, 3, 4]);
        assert.deepEqual(
          (await list({ principal_id: "test-store.write" })).map((e) => e.method),
          [method("DeleteSession"), method("DeleteSessions"), method("RemoveGrants")],
        );
        assert.deepEqual((await list({ method: method("RemoveSessions") })).map((e) => [e.principal_id, e.code]), [
          ["test-sessions.write", "OK"],
          ["test-sessions.write", "INVALID_ARGUMENT"],
          ["test-sessions.read", "PERMISSION_DENIED"],
          ...[0, 2, 4].map(() => ["nightly-job", "OK"]),
        ]);
        assert.deepEqual(runs(await list({ principal_id: "nightly-job", method: method("DeleteClient") })), [1, 3]);
        assert.deepEqual(await list({ principal_id: "nobody" }), []);
      });

      it("should filter by time, from inclusive and to exclusive", async () => {
        const mine = { principal_id: "nightly-job" };
        assert.deepEqual(runs(await list({ ...mine, start_time: seconds(hour(1)), end_time: seconds(hour(3)) })), [1, 2]);
        assert.deepEqual(runs(await list({ ...mine, start_time: seconds(hour(3)) })), [3, 4]);
        assert.deepEqual(runs(await list({ ...mine, end_time: seconds(hour(1)) })), [0]);
        // The live events were recorded today: a range that starts after 2020 holds them only.
        const recent = await list({ start_time: seconds(hour(24)) });
        assert.equal(recent.length, 12);
        assert.ok(recent.every((e) => e.principal_id !== "nightly-job"));
        assert.equal((await callError(auditor.listAuditEvents({ start_time: seconds(hour(3)), end_time: seconds(hour(3)) }))).code, grpc.status.INVALID_ARGUMENT);
      });

      it("should page forward and back with results tokens bound to the filter", async () => {
        const page = (request: Message) => auditor.listAuditEvents({ principal_id: "nightly-job", count_requested: 2, ...request });
        const first = await page({});
        assert.deepEqual([runs(first.events), first.has_prev_results, first.has_next_results], [[0, 1], false, true]);
        const second = await page({ results_token: first.results_token });
        assert.deepEqual([runs(second.events), second.has_prev_results, second.has_next_results], [[2, 3], true, true]);
        const third = await page({ results_token: second.results_token });
        assert.deepEqual([runs(third.events), third.has_prev_results, third.has_next_results], [[4], true, false]);
        const back = await page({ results_token: third.results_token, request_prior_results: true });
        assert.deepEqual([runs(back.events), back.has_prev_results, back.has_next_results], [[2, 3], true, true]);
        const start = await page({ results_token: back.results_token, request_prior_results: true });
        assert.deepEqual([runs(start.events), start.has_prev_results, start.has_next_results], [[0, 1], false, true]);
        const otherFilter = await callError(auditor.listAuditEvents({ principal_id: "test-admin", count_requested: 2, results_token: first.results_token }));
        assert.equal(otherFilter.code, grpc.status.INVALID_ARGUMENT, "a token does not carry over to another filter");
        const empty = await auditor.listAuditEvents({ principal_id: "nobody" });
        assert.deepEqual([empty.events, empty.results_token, empty.has_next_results], [[], "", false]);
      });

      it("should be readable only with audit.read", async () => {
        for (const permission of ["sessions.read", "sessions.write", "store.write", "clients.admin"] as const) {
          const error = await callError(track(auditClient(permissionKeys[permission])).listAuditEvents({}));
          assert.equal(error.code, grpc.status.PERMISSION_DENIED, permission);
        }
        assert.equal((await callError(track(auditClient(null)).listAuditEvents({}))).code, grpc.status.UNAUTHENTICATED);
        assert.ok((await track(auditClient(testApiKey)).listAuditEvents({})).events.length > 0);
      });
    });
  });
}

describe("Audit trail redaction", () => {
  /** The bytes fields of a message, with their paths, nested messages included. */
  function bytesFields(message: DescMessage, path = "", seen = new Set<string>()): string[] {
    if (seen.has(message.typeName)) return [];
    seen.add(message.typeName);
    return message.fields.flatMap((field) => {
      const name = `${path}${field.name}`;
      if (field.message !== undefined) return bytesFields(field.message, `${name}.`, seen);
      return field.scalar === ScalarType.BYTES ? [name] : [];
    });
  }

  it("should leave no opaque payload of an audited call unredacted", () => {
    const served = new Map<string, DescMethod>(allServices.flatMap((service) => service.methods.map((m) => [`${service.typeName}/${m.name}`, m] as const)));
    for (const name of auditedMethods) {
      const audited = served.get(name);
      assert.ok(audited, `${name} is served`);
      // The trail redacts fields named ticket and data (see audit-interceptor.ts); any other bytes would be kept.
      const unredacted = [...bytesFields(audited.input), ...bytesFields(audited.output)].filter((path) => !/(^|\.)(ticket|data)$/.test(path));
      assert.deepEqual(unredacted, [], name);
    }
  });

  it("should replace tickets and grant data with a marker in what it records", async () => {
    // No audited call carries a ticket today: one that did would be recorded like this.
    const recorded: Omit<AuditEvent, "pk">[] = [];
    const intercept = auditInterceptor({ record: async (event) => void recorded.push(event), findPage: async () => [], existsBeyond: async () => false }, pino({ level: "silent" }));
    const message = create(CreateSessionRequestSchema, { session: { key: "k", subjectId: "s", ticket } });
    const call = intercept(async () => ({ stream: false, message: create(CreateSessionResponseSchema, { session: message.session }) }) as never);
    await call({
      stream: false,
      service: SessionStore,
      method: { ...SessionStore.method.createSession, name: "DeleteSession" },
      message,
      contextValues: createContextValues().set(principalKey, { id: "identity-provider", kind: "api-key", permissions: new Set(["store.write"] as const) }),
    } as never);
    assert.equal(recorded.length, 1);
    assert.deepEqual(JSON.parse(recorded[0]!.requestJson), { session: { key: "k", subjectId: "s", ticket: "[redacted]" } });
    assert.deepEqual(JSON.parse(recorded[0]!.outcomeJson!), { session: { key: "k", subjectId: "s", ticket: "[redacted]" } });
  });
});
