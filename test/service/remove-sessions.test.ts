import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { grantTypes, type GrantType } from "../../src/domain/grant-types.js";
import type { Stores } from "../../src/store/stores.js";
import { testBackends } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { callError, grpc, sessionManagementClient, type Message, type SessionManagementClient } from "../support/grpc-client.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";

/**
 * The world each case starts from (names are unique per case):
 *   subject S: session s1 (clients A, B), session s2 (clients B, C)
 *   subject T: session t1 (client A)
 *   tokens: per session, a refresh token for each of its clients and one authorization code for its first client
 *   consents: S×A, S×B, S×C, T×A
 *   clients: A and B notifiable, C enabled without a logout URI, D disabled with a URI
 */
interface World {
  S: string;
  T: string;
  s1: string;
  s2: string;
  t1: string;
}

let worldCount = 0;

async function buildWorld(stores: Stores): Promise<World> {
  const n = ++worldCount;
  const w = { S: `S${n}`, T: `T${n}`, s1: `s1-${n}`, s2: `s2-${n}`, t1: `t1-${n}` };
  await stores.clients.put({ clientId: "A", enabled: true, backchannelLogoutUri: "https://a.example/logout", backchannelLogoutSessionRequired: true });
  await stores.clients.put({ clientId: "B", enabled: true, backchannelLogoutUri: "https://b.example/logout", backchannelLogoutSessionRequired: true });
  await stores.clients.put({ clientId: "C", enabled: true, backchannelLogoutSessionRequired: true });
  await stores.clients.put({ clientId: "D", enabled: false, backchannelLogoutUri: "https://d.example/logout", backchannelLogoutSessionRequired: true });
  const sessions = [
    { subjectId: w.S, sessionId: w.s1, clientIds: ["A", "B"] },
    { subjectId: w.S, sessionId: w.s2, clientIds: ["B", "C", "D"] },
    { subjectId: w.T, sessionId: w.t1, clientIds: ["A"] },
  ];
  await createSessions(stores, sessions);
  for (const session of sessions) {
    for (const clientId of session.clientIds) {
      await stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId, subjectId: session.subjectId, sessionId: session.sessionId }));
    }
    await stores.grants.store(
      newGrant({ type: grantTypes.authorizationCode, clientId: session.clientIds[0]!, subjectId: session.subjectId, sessionId: session.sessionId }),
    );
  }
  for (const [subjectId, clientId] of [[w.S, "A"], [w.S, "B"], [w.S, "C"], [w.T, "A"]] as const) {
    await stores.grants.store(newGrant({ type: grantTypes.userConsent, clientId, subjectId }));
  }
  return w;
}

for (const backend of await testBackends()) {
  describe(`RemoveSessions over gRPC (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let client: SessionManagementClient;
    let stores: Stores;
    let w: World;

    const sessionsOf = async (subjectId: string) =>
      (await stores.sessions.findPage({ subjectId }, { direction: "forward" }, 100)).map((s) => s.sessionId);
    const grantsOf = async (subjectId: string, type: GrantType) =>
      (await stores.grants.findAll({ subjectId, types: [type] })).map((g) => `${g.sessionId ?? "-"}:${g.clientId}`).sort();
    const outboxOf = async (subjectId: string) =>
      (await stores.outbox.list({ subjectId }, 100)).map((n) => `${n.sessionId}:${n.clientId}:${n.reason}:${n.status}`).sort();
    const counts = (r: Message) => [r.sessions_removed, r.tokens_revoked, r.consents_revoked, r.notifications_queued];

    before(async () => {
      server = await startTestServer(backend);
      client = sessionManagementClient(server.port);
      stores = server.db.stores;
    });
    after(async () => {
      client?.close();
      await server?.stop();
    });
    beforeEach(async () => {
      w = await buildWorld(stores);
    });

    it("should terminate every session of a subject with all four actions by default", async () => {
      const response = await client.removeSessions({ subject_id: w.S });
      assert.deepEqual(counts(response), [2, 7, 3, 3]);
      assert.deepEqual(response.session_ids, [w.s1, w.s2]);
      assert.deepEqual(await sessionsOf(w.S), []);
      assert.deepEqual(await grantsOf(w.S, grantTypes.refreshToken), []);
      assert.deepEqual(await grantsOf(w.S, grantTypes.userConsent), []);
      assert.deepEqual(await outboxOf(w.S), [
        `${w.s1}:A:admin_removal:pending`,
        `${w.s1}:B:admin_removal:pending`,
        `${w.s2}:B:admin_removal:pending`,
      ]);
      // The other subject is untouched.
      assert.deepEqual(await sessionsOf(w.T), [w.t1]);
      assert.deepEqual(await grantsOf(w.T, grantTypes.refreshToken), [`${w.t1}:A`]);
      assert.deepEqual(await grantsOf(w.T, grantTypes.userConsent), ["-:A"]);
    });

    it("should terminate one session and revoke its subject's consents for that session's clients only", async () => {
      const response = await client.removeSessions({ session_id: w.s1 });
      assert.deepEqual(counts(response), [1, 3, 2, 2]);
      assert.deepEqual(response.session_ids, [w.s1]);
      assert.deepEqual(await sessionsOf(w.S), [w.s2]);
      assert.deepEqual(await grantsOf(w.S, grantTypes.refreshToken), [`${w.s2}:B`, `${w.s2}:C`, `${w.s2}:D`]);
      assert.deepEqual(await grantsOf(w.S, grantTypes.userConsent), ["-:C"]);
      assert.deepEqual(await outboxOf(w.S), [`${w.s1}:A:admin_removal:pending`, `${w.s1}:B:admin_removal:pending`]);
    });

    it("should combine subject and session id with AND", async () => {
      const mismatch = await client.removeSessions({ subject_id: w.S, session_id: w.t1 });
      assert.deepEqual(counts(mismatch), [0, 0, 0, 0]);
      assert.deepEqual(mismatch.session_ids, []);
      assert.deepEqual(await sessionsOf(w.T), [w.t1]);
      const match = await client.removeSessions({ subject_id: w.S, session_id: w.s2 });
      assert.deepEqual(counts(match), [1, 4, 2, 1]);
    });

    it("should restrict revocation and notifications to the given clients but still remove the sessions", async () => {
      const response = await client.removeSessions({ subject_id: w.S, client_ids: ["B", "C"] });
      assert.deepEqual(counts(response), [2, 4, 2, 2]);
      assert.deepEqual(await sessionsOf(w.S), []);
      assert.deepEqual(await grantsOf(w.S, grantTypes.refreshToken), [`${w.s1}:A`, `${w.s2}:D`]);
      assert.deepEqual(await grantsOf(w.S, grantTypes.authorizationCode), [`${w.s1}:A`]);
      assert.deepEqual(await grantsOf(w.S, grantTypes.userConsent), ["-:A"]);
      assert.deepEqual(await outboxOf(w.S), [`${w.s1}:B:admin_removal:pending`, `${w.s2}:B:admin_removal:pending`]);
    });

    it("should never notify disabled clients or clients without a logout URI", async () => {
      const response = await client.removeSessions({ session_id: w.s2, client_ids: ["C", "D"] });
      assert.equal(response.notifications_queued, 0);
      assert.deepEqual(await outboxOf(w.S), []);
    });

    it("should keep the session records when remove_server_side_session is false", async () => {
      const response = await client.removeSessions({ subject_id: w.S, remove_server_side_session: false });
      assert.deepEqual(counts(response), [0, 7, 3, 3]);
      assert.deepEqual(response.session_ids, [w.s1, w.s2]);
      assert.deepEqual(await sessionsOf(w.S), [w.s1, w.s2]);
    });

    it("should keep tokens when revoke_tokens is false", async () => {
      const response = await client.removeSessions({ subject_id: w.S, revoke_tokens: false });
      assert.deepEqual(counts(response), [2, 0, 3, 3]);
      assert.equal((await grantsOf(w.S, grantTypes.refreshToken)).length, 5);
      assert.equal((await grantsOf(w.S, grantTypes.authorizationCode)).length, 2);
    });

    it("should keep consents when revoke_consents is false", async () => {
      const response = await client.removeSessions({ subject_id: w.S, revoke_consents: false });
      assert.deepEqual(counts(response), [2, 7, 0, 3]);
      assert.deepEqual(await grantsOf(w.S, grantTypes.userConsent), ["-:A", "-:B", "-:C"]);
    });

    it("should queue nothing when send_backchannel_logout_notification is false", async () => {
      const response = await client.removeSessions({ subject_id: w.S, send_backchannel_logout_notification: false });
      assert.deepEqual(counts(response), [2, 7, 3, 0]);
      assert.deepEqual(await outboxOf(w.S), []);
    });

    it("should treat explicit true like unset", async () => {
      const response = await client.removeSessions({
        subject_id: w.S,
        remove_server_side_session: true,
        revoke_tokens: true,
        revoke_consents: true,
        send_backchannel_logout_notification: true,
      });
      assert.deepEqual(counts(response), [2, 7, 3, 3]);
    });

    it("should change nothing when every action is off", async () => {
      const response = await client.removeSessions({
        subject_id: w.S,
        remove_server_side_session: false,
        revoke_tokens: false,
        revoke_consents: false,
        send_backchannel_logout_notification: false,
      });
      assert.deepEqual(counts(response), [0, 0, 0, 0]);
      assert.deepEqual(response.session_ids, [w.s1, w.s2]);
      assert.deepEqual(await sessionsOf(w.S), [w.s1, w.s2]);
    });

    it("should succeed with zero counts when repeated (idempotent)", async () => {
      await client.removeSessions({ subject_id: w.S });
      const again = await client.removeSessions({ subject_id: w.S });
      assert.deepEqual(counts(again), [0, 0, 0, 0]);
      assert.deepEqual(again.session_ids, []);
      assert.equal((await outboxOf(w.S)).length, 3);
    });

    it("should still revoke a subject's tokens and consents when its sessions are already gone", async () => {
      await client.removeSessions({ subject_id: w.S, revoke_tokens: false, revoke_consents: false, send_backchannel_logout_notification: false });
      const response = await client.removeSessions({ subject_id: w.S });
      assert.deepEqual(counts(response), [0, 7, 3, 0]);
    });

    it("should refuse a request without subject and session id, and change nothing", async () => {
      for (const request of [{}, { client_ids: ["A"] }, { subject_id: "", session_id: "" }]) {
        const error = await callError(client.removeSessions(request));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.match(error.details, /subject_id or session_id is required/);
      }
      assert.deepEqual(await sessionsOf(w.S), [w.s1, w.s2]);
      assert.equal((await grantsOf(w.S, grantTypes.refreshToken)).length, 5);
    });

    it("should refuse a bad client id naming it, and change nothing", async () => {
      const error = await callError(client.removeSessions({ subject_id: w.S, client_ids: ["A", ""] }));
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
      assert.match(error.details, /client_ids\[1\]/);
      assert.deepEqual(await sessionsOf(w.S), [w.s1, w.s2]);
    });

    it("should make removed sessions disappear from QuerySessions", async () => {
      await client.removeSessions({ session_id: w.s1 });
      const response = await client.querySessions({ subject_id: w.S });
      assert.deepEqual((response.results as Message[]).map((s) => s.session_id), [w.s2]);
      assert.equal(response.total_count, 1);
    });
  });
}
