import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PlannedNotification } from "../../src/domain/termination-plan.js";
import { testBackends } from "../support/backends.js";
import {
  callError,
  grpc,
  logoutNotificationsClient,
  sessionManagementClient,
  type LogoutNotificationsClient,
  type Message,
} from "../support/grpc-client.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";

// grpc-js hands over the status message percent-encoded, as it travels.
const detail = (error: { details: string }) => decodeURIComponent(error.details);
const ids = (response: Message) => (response.results as Message[]).map((n) => Number(n.notification_id));
const at = (minute: number) => new Date(Date.UTC(2026, 3, 1, 8, minute));
const seconds = (date: Date) => ({ seconds: String(date.getTime() / 1000), nanos: 0 });

for (const backend of await testBackends()) {
  describe(`LogoutNotifications over gRPC (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let client: LogoutNotificationsClient;
    let all: number[];

    before(async () => {
      // Delivery is off: the rows keep the states this suite gives them.
      server = await startTestServer(backend);
      client = logoutNotificationsClient(server.port);
      const { outbox } = server.db.stores;
      const plan = (i: number): PlannedNotification => ({
        clientId: i % 2 === 0 ? "web" : "api",
        subjectId: `user-${i % 3}`,
        sessionId: i === 4 ? undefined : `sid-${i}`,
        issuer: i === 4 ? undefined : "https://idp.example.com",
        reason: (["admin_removal", "user_logout", "expired"] as const)[i % 3],
      });
      for (let i = 0; i < 12; i++) await outbox.enqueue([plan(i)], at(i));
      all = (await outbox.list({}, 100)).map((n) => n.id);
      // Rows 0–2 delivered, 3 failed (retry scheduled), 4 dead.
      const claims = await server.db.stores.transaction((tx) => tx.outbox.claimDue(at(5), 5, 60_000), { isolation: "read-committed" });
      const byId = new Map(claims.map((c) => [c.id, c]));
      for (const id of all.slice(0, 3)) await outbox.recordOutcome(byId.get(id)!, { status: "delivered", at: at(6), statusCode: 204 });
      await outbox.recordOutcome(byId.get(all[3]!)!, { status: "failed", at: at(6), statusCode: 503, error: "HTTP 503", nextAttemptAt: at(30) });
      await outbox.recordOutcome(byId.get(all[4]!)!, { status: "dead", at: at(6), error: "the client requires a session id" });
    });
    after(async () => {
      client?.close();
      await server?.stop();
    });

    it("should map every field of a notification", async () => {
      const response = await client.listNotifications({ count_requested: 5 });
      const [delivered, , , failed, dead] = response.results as Message[];
      assert.deepEqual(
        {
          ...delivered,
          create_time: Number(delivered!.create_time.seconds),
          last_attempt_time: Number(delivered!.last_attempt_time.seconds),
          delivery_time: Number(delivered!.delivery_time.seconds),
        },
        {
          notification_id: String(all[0]),
          client_id: "web",
          subject_id: "user-0",
          session_id: "sid-0",
          issuer: "https://idp.example.com",
          reason: "TERMINATION_REASON_ADMIN_REMOVAL",
          status: "NOTIFICATION_STATUS_DELIVERED",
          attempts: 1,
          last_status_code: 204,
          _last_status_code: "last_status_code",
          last_error: "",
          create_time: at(0).getTime() / 1000,
          last_attempt_time: at(6).getTime() / 1000,
          next_attempt_time: null,
          delivery_time: at(6).getTime() / 1000,
        },
      );
      assert.equal(failed!.status, "NOTIFICATION_STATUS_FAILED");
      assert.equal(failed!.last_error, "HTTP 503");
      assert.equal(Number(failed!.next_attempt_time.seconds), at(30).getTime() / 1000);
      assert.equal(dead!.status, "NOTIFICATION_STATUS_DEAD");
      assert.equal(dead!.session_id, "");
      assert.equal(dead!.issuer, "");
      assert.equal(dead!._last_status_code, undefined, "no status code: the attempt got no answer");
      assert.equal(dead!.next_attempt_time, null);
    });

    it("should filter by status, client, subject, session and creation time, combined with AND", async () => {
      const list = async (request: Message) => ids(await client.listNotifications({ count_requested: 100, ...request }));
      assert.deepEqual(await list({}), all);
      assert.deepEqual(await list({ status: "NOTIFICATION_STATUS_DELIVERED" }), all.slice(0, 3));
      assert.deepEqual(await list({ status: "NOTIFICATION_STATUS_PENDING" }), all.slice(5));
      assert.deepEqual(await list({ status: "NOTIFICATION_STATUS_DEAD" }), [all[4]]);
      assert.deepEqual(await list({ client_id: "api", subject_id: "user-1" }), [all[1], all[7]]);
      assert.deepEqual(await list({ session_id: "sid-9" }), [all[9]]);
      assert.deepEqual(await list({ start_time: seconds(at(3)), end_time: seconds(at(6)) }), all.slice(3, 6));
      assert.deepEqual(await list({ start_time: seconds(at(10)) }), all.slice(10));
      assert.deepEqual(await list({ client_id: "nobody" }), []);
    });

    it("should page forward and back with a token bound to the list, its filter and page size", async () => {
      const first = await client.listNotifications({ count_requested: 5, client_id: "web" });
      assert.deepEqual(ids(first), [0, 2, 4, 6, 8].map((i) => all[i]));
      assert.equal(first.has_prev_results, false);
      assert.equal(first.has_next_results, true);
      const second = await client.listNotifications({ count_requested: 5, client_id: "web", results_token: first.results_token });
      assert.deepEqual(ids(second), [all[10]]);
      assert.equal(second.has_prev_results, true);
      assert.equal(second.has_next_results, false);
      const back = await client.listNotifications({ count_requested: 5, client_id: "web", results_token: second.results_token, request_prior_results: true });
      assert.deepEqual(ids(back), ids(first));
      const wrongFilter = await callError(client.listNotifications({ count_requested: 5, client_id: "api", results_token: first.results_token }));
      assert.equal(wrongFilter.code, grpc.status.INVALID_ARGUMENT);
      assert.match(detail(wrongFilter), /^results_token: was issued for a different filter or page size$/);
      await createSessions(server.db.stores, [{}]);
      const sessions = sessionManagementClient(server.port);
      const sessionToken = (await sessions.querySessions({ count_requested: 5 })).results_token;
      sessions.close();
      assert.notEqual(sessionToken, "");
      const foreign = await callError(client.listNotifications({ count_requested: 5, results_token: sessionToken }));
      assert.equal(foreign.code, grpc.status.INVALID_ARGUMENT, "a QuerySessions token with the same page size");
      const empty = await client.listNotifications({ client_id: "nobody" });
      assert.deepEqual([empty.results, empty.results_token, empty.has_prev_results, empty.has_next_results], [[], "", false, false]);
    });

    it("should refuse bad input with INVALID_ARGUMENT naming the field", async () => {
      for (const [request, field] of [
        [{ count_requested: -1 }, "count_requested"],
        [{ status: 42 }, "status"],
        [{ start_time: seconds(at(5)), end_time: seconds(at(5)) }, "end_time"],
        [{ start_time: { seconds: "-99999999999", nanos: 0 } }, "start_time"],
        [{ end_time: { seconds: "1", nanos: -1 } }, "end_time"],
        [{ client_id: "x".repeat(201) }, "client_id"],
        [{ results_token: "garbage" }, "results_token"],
      ] as const) {
        const error = await callError(client.listNotifications(request));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT, JSON.stringify(request));
        assert.ok(detail(error).startsWith(`${field}: `), `${detail(error)} names ${field}`);
      }
      for (const [request, field] of [
        [{ notification_ids: [] }, "notification_ids"],
        [{ notification_ids: ["0"] }, "notification_ids[0]"],
        [{ notification_ids: Array.from({ length: 1001 }, (_, i) => String(i + 1)) }, "notification_ids"],
      ] as const) {
        const error = await callError(client.retryNotifications(request));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.ok(detail(error).startsWith(`${field}: `), detail(error));
      }
    });

    it("should retry failed and dead notifications only, and report how many", async () => {
      const response = await client.retryNotifications({ notification_ids: [all[0], all[3], all[4], all[6], 99_999_999, all[4]].map(String) });
      assert.equal(response.notifications_retried, 2);
      const rows = await client.listNotifications({ count_requested: 100 });
      const byId = new Map((rows.results as Message[]).map((n) => [Number(n.notification_id), n]));
      assert.equal(byId.get(all[0]!)!.status, "NOTIFICATION_STATUS_DELIVERED");
      for (const id of [all[3]!, all[4]!]) {
        const row = byId.get(id)!;
        assert.equal(row.status, "NOTIFICATION_STATUS_PENDING");
        assert.equal(row.attempts, 0);
        assert.ok(Number(row.next_attempt_time.seconds) * 1000 <= Date.now());
      }
      assert.equal((await client.retryNotifications({ notification_ids: [String(all[4])] })).notifications_retried, 0, "already pending");
    });
  });
}
