import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuditLog } from "../../gen/ts/sessionmanagement/v1/audit_log_pb.js";
import { LogoutNotifications } from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { grantTypes } from "../../src/domain/grant-types.js";
import { testBackends } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { callError, grpc, sessionManagementClient } from "../support/grpc-client.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { bearerInterceptor, testApiKey } from "../support/test-credentials.js";
import { startTestIssuer, type TestIssuer } from "../support/test-issuer.js";

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${++sequence}`;

/** A subject with two sessions, a refresh token bound to each, and a consent, as a login at two devices leaves them. */
interface Seeded {
  subject: string;
  sids: [string, string];
}

for (const backend of await testBackends()) {
  describe(`Self-service: a sessions.self caller reaches only its own sessions (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let issuer: TestIssuer;

    before(async () => {
      issuer = await startTestIssuer();
      server = await startTestServer(backend, issuer.config);
      await server.db.stores.clients.put({ clientId: "web", enabled: true, backchannelLogoutUri: "https://rp.example.com/logout", backchannelLogoutSessionRequired: true });
    });
    after(async () => {
      await server?.stop();
      await issuer?.stop();
    });

    const seed = async (prefix: string): Promise<Seeded> => {
      const subject = unique(prefix);
      const sids: [string, string] = [`${subject}-laptop`, `${subject}-phone`];
      const { stores } = server.db;
      await createSessions(stores, [
        { subjectId: subject, sessionId: sids[0], displayName: "Laptop", clientIds: ["web"] },
        { subjectId: subject, sessionId: sids[1], displayName: "Phone", clientIds: ["web"] },
      ]);
      for (const sid of sids) await stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "web", subjectId: subject, sessionId: sid }));
      await stores.grants.store(newGrant({ type: grantTypes.userConsent, clientId: "web", subjectId: subject }));
      return { subject, sids };
    };

    /** What is left of a subject: its session ids, grant types and queued notifications. */
    const leftOf = async (subject: string) => {
      const { stores } = server.db;
      const sessions = await createClient(SessionManagement, transport(testApiKey)).querySessions({ subjectId: subject });
      return {
        sessions: sessions.results.map((s) => s.sessionId).sort(),
        grants: (await stores.grants.findAll({ subjectId: subject })).map((g) => g.type).sort(),
        notifications: (await stores.outbox.list({ subjectId: subject }, 100)).map((n) => n.sessionId).sort(),
      };
    };

    const transport = (bearer: string) => createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}`, interceptors: [bearerInterceptor(bearer)] });
    const sessionsOf = async (subject: string, scope = "openid sessions.self"): Promise<Client<typeof SessionManagement>> =>
      createClient(SessionManagement, transport(await issuer.token(subject, scope)));
    const refusal = async (call: Promise<unknown>) => {
      const error = await call.then(
        () => assert.fail("the call succeeded but was expected to fail"),
        (e: unknown) => ConnectError.from(e),
      );
      return { code: Code[error.code], message: error.rawMessage };
    };

    describe("QuerySessions", () => {
      it("should list the caller's own sessions only, whether subject_id is empty or names the caller", async () => {
        const alice = await seed("alice");
        await seed("bob");
        const client = await sessionsOf(alice.subject);
        for (const request of [{}, { subjectId: alice.subject }]) {
          const page = await client.querySessions(request);
          assert.deepEqual(page.results.map((s) => s.sessionId).sort(), [...alice.sids].sort());
          assert.equal(page.totalCount, 2);
          assert.ok(page.results.every((s) => s.subjectId === alice.subject));
        }
      });

      it("should refuse another subject_id with PERMISSION_DENIED naming the field", async () => {
        const alice = await seed("alice");
        const bob = await seed("bob");
        const client = await sessionsOf(alice.subject);
        const refused = await refusal(client.querySessions({ subjectId: bob.subject }));
        assert.equal(refused.code, "PermissionDenied");
        assert.match(refused.message, /^subject_id: must be empty or the caller's own subject \(a sessions\.self caller reaches only its own sessions\)$/);
        assert.ok(!refused.message.includes(bob.subject));
      });

      it("should find nothing by another subject's session id, as for an unknown one", async () => {
        const alice = await seed("alice");
        const bob = await seed("bob");
        const client = await sessionsOf(alice.subject);
        const foreign = await client.querySessions({ sessionId: bob.sids[0] });
        const unknown = await client.querySessions({ sessionId: "no-such-sid" });
        assert.deepEqual(foreign, unknown);
        assert.equal(foreign.totalCount, 0);
        assert.deepEqual((await client.querySessions({ sessionId: alice.sids[1] })).results.map((s) => s.sessionId), [alice.sids[1]]);
      });

      it("should tell apart subjects that differ only in letter case", async () => {
        const lower = await seed("carol");
        const upper = lower.subject.toUpperCase();
        await createSessions(server.db.stores, [{ subjectId: upper, sessionId: `${upper}-desktop` }]);
        const page = await (await sessionsOf(upper)).querySessions({});
        assert.deepEqual(page.results.map((s) => s.sessionId), [`${upper}-desktop`]);
        const ended = await (await sessionsOf(upper)).removeSessions({ sessionId: lower.sids[0] });
        assert.equal(ended.sessionsRemoved, 0);
        assert.deepEqual((await leftOf(lower.subject)).sessions, [...lower.sids].sort());
      });

      it("should keep other filters and paging within the caller's sessions", async () => {
        const alice = await seed("alice");
        await seed("bob");
        const client = await sessionsOf(alice.subject);
        assert.deepEqual((await client.querySessions({ displayName: "Phone" })).results.map((s) => s.sessionId), [alice.sids[1]]);
        const seen: string[] = [];
        let page = await client.querySessions({ countRequested: 1 });
        for (;;) {
          seen.push(...page.results.map((s) => s.subjectId));
          if (!page.hasNextResults) break;
          page = await client.querySessions({ countRequested: 1, resultsToken: page.resultsToken });
        }
        assert.deepEqual(seen, [alice.subject, alice.subject]);
      });

      it("should refuse a results token issued for an unrestricted query, so paging cannot leave the caller's sessions", async () => {
        const alice = await seed("alice");
        const admin = createClient(SessionManagement, transport(testApiKey));
        const { resultsToken } = await admin.querySessions({ countRequested: 1 });
        const refused = await refusal((await sessionsOf(alice.subject)).querySessions({ countRequested: 1, resultsToken }));
        assert.equal(refused.code, "InvalidArgument");
        assert.match(refused.message, /^results_token: /);
      });

      it("should not restrict a caller that also holds sessions.read: the broader permission wins", async () => {
        const alice = await seed("alice");
        const bob = await seed("bob");
        const client = await sessionsOf(alice.subject, "sessions.self sessions.read");
        assert.deepEqual((await client.querySessions({ subjectId: bob.subject })).results.map((s) => s.sessionId).sort(), [...bob.sids].sort());
        // sessions.write is not sessions.read: a caller holding it and sessions.self still lists its own sessions only.
        const writer = await sessionsOf(alice.subject, "sessions.self sessions.write");
        assert.equal((await refusal(writer.querySessions({ subjectId: bob.subject }))).code, "PermissionDenied");
        assert.equal((await writer.querySessions({})).totalCount, 2);
      });
    });

    describe("RemoveSessions", () => {
      it("should end one of the caller's sessions completely: record removed, its tokens revoked, its clients told", async () => {
        const alice = await seed("alice");
        const client = await sessionsOf(alice.subject);
        const outcome = await client.removeSessions({ sessionId: alice.sids[0], revokeConsents: false });
        assert.deepEqual(
          { removed: outcome.sessionsRemoved, tokens: outcome.tokensRevoked, consents: outcome.consentsRevoked, queued: outcome.notificationsQueued, ids: outcome.sessionIds },
          { removed: 1, tokens: 1, consents: 0, queued: 1, ids: [alice.sids[0]] },
        );
        assert.deepEqual(await leftOf(alice.subject), { sessions: [alice.sids[1]], grants: ["refresh_token", "user_consent"], notifications: [alice.sids[0]] });
      });

      it("should end all the caller's sessions for an empty request (sign out everywhere)", async () => {
        const alice = await seed("alice");
        const bob = await seed("bob");
        const outcome = await (await sessionsOf(alice.subject)).removeSessions({});
        assert.equal(outcome.sessionsRemoved, 2);
        assert.equal(outcome.consentsRevoked, 1);
        assert.deepEqual(await leftOf(alice.subject), { sessions: [], grants: [], notifications: [...alice.sids].sort() });
        assert.deepEqual((await leftOf(bob.subject)).sessions, [...bob.sids].sort());
      });

      it("should change nothing of another subject: its subject_id is refused, its session id matches nothing", async () => {
        const alice = await seed("alice");
        const bob = await seed("bob");
        const before = await leftOf(bob.subject);
        const client = await sessionsOf(alice.subject);
        const refused = await refusal(client.removeSessions({ subjectId: bob.subject }));
        assert.deepEqual(refused, { code: "PermissionDenied", message: "subject_id: must be empty or the caller's own subject (a sessions.self caller reaches only its own sessions)" });
        const foreign = await client.removeSessions({ sessionId: bob.sids[0] });
        assert.deepEqual(
          [foreign.sessionsRemoved, foreign.tokensRevoked, foreign.consentsRevoked, foreign.notificationsQueued, foreign.sessionIds],
          [0, 0, 0, 0, []],
        );
        assert.deepEqual(await leftOf(bob.subject), before);
        assert.equal((await leftOf(alice.subject)).sessions.length, 2);
      });

      it("should refuse the flags that would keep a session's tokens or clients alive, naming the field and changing nothing", async () => {
        const alice = await seed("alice");
        const before = await leftOf(alice.subject);
        const client = await sessionsOf(alice.subject);
        const cases: [Parameters<typeof client.removeSessions>[0], string][] = [
          [{ removeServerSideSession: false }, "remove_server_side_session: cannot be false: leave it unset or true"],
          [{ revokeTokens: false }, "revoke_tokens: cannot be false: leave it unset or true"],
          [{ sendBackchannelLogoutNotification: false }, "send_backchannel_logout_notification: cannot be false: leave it unset or true"],
          [{ clientIds: ["web"] }, "client_ids: must be empty: every client of the sessions is included"],
        ];
        for (const [flags, message] of cases) {
          assert.deepEqual(await refusal(client.removeSessions({ sessionId: alice.sids[0], ...flags })), {
            code: "PermissionDenied",
            message: `${message} (a sessions.self caller reaches only its own sessions)`,
          });
        }
        assert.deepEqual(await leftOf(alice.subject), before);
        // Saying what is done anyway is fine.
        const explicit = await client.removeSessions({ sessionId: alice.sids[0], removeServerSideSession: true, revokeTokens: true, sendBackchannelLogoutNotification: true, revokeConsents: true });
        assert.equal(explicit.sessionsRemoved, 1);
      });

      it("should let a caller that also holds sessions.write end anyone's sessions with any flags", async () => {
        const alice = await seed("alice");
        const bob = await seed("bob");
        const client = await sessionsOf(alice.subject, "sessions.self sessions.write");
        const outcome = await client.removeSessions({ subjectId: bob.subject, revokeTokens: false, clientIds: ["web"] });
        assert.equal(outcome.sessionsRemoved, 2);
        assert.equal(outcome.tokensRevoked, 0);
      });

      it("should record a self-service removal with the token's subject as caller and the subject it was restricted to, and a refused attempt as it came", async () => {
        const alice = await seed("alice");
        const bob = await seed("bob");
        const client = await sessionsOf(alice.subject);
        await client.removeSessions({ sessionId: alice.sids[0] });
        await refusal(client.removeSessions({ subjectId: bob.subject }));
        const audit = createClient(AuditLog, transport(testApiKey));
        const { events } = await audit.listAuditEvents({ principalId: `jwt:${alice.subject}`, countRequested: 10 });
        assert.deepEqual(
          events.map((e) => [e.principalId, e.method, JSON.parse(e.requestJson), e.code]),
          [
            [`jwt:${alice.subject}`, "sessionmanagement.v1.SessionManagement/RemoveSessions", { subjectId: alice.subject, sessionId: alice.sids[0] }, "OK"],
            [`jwt:${alice.subject}`, "sessionmanagement.v1.SessionManagement/RemoveSessions", { subjectId: bob.subject }, "PERMISSION_DENIED"],
          ],
        );
      });
    });

    describe("every other method", () => {
      it("should refuse the notifications and the audit trail to a sessions.self caller, even filtered to its own subject", async () => {
        const alice = await seed("alice");
        await (await sessionsOf(alice.subject)).removeSessions({ sessionId: alice.sids[0] });
        const token = await issuer.token(alice.subject, "openid sessions.self");
        const notifications = createClient(LogoutNotifications, transport(token));
        const audit = createClient(AuditLog, transport(token));
        for (const call of [
          () => notifications.listNotifications({ subjectId: alice.subject }),
          () => notifications.listNotifications({}),
          () => notifications.retryNotifications({ notificationIds: [1n] }),
          () => audit.listAuditEvents({ principalId: `jwt:${alice.subject}` }),
        ]) {
          const refused = await refusal(call());
          assert.equal(refused.code, "PermissionDenied");
          assert.match(refused.message, new RegExp(`^the credential "jwt:${alice.subject}" lacks the permission this call needs \\((sessions\\.read|sessions\\.write|audit\\.read)\\)$`));
        }
      });
    });

    describe("over the network with @grpc/grpc-js", () => {
      it("should list and end the caller's own sessions and refuse the rest with the same codes and messages", async () => {
        const alice = await seed("alice");
        const bob = await seed("bob");
        const client = sessionManagementClient(server.port, { bearer: await issuer.token(alice.subject, "sessions.self") });
        try {
          const listed = await client.querySessions({});
          assert.deepEqual(listed.results.map((s: { session_id: string }) => s.session_id).sort(), [...alice.sids].sort());
          const denied = await callError(client.querySessions({ subject_id: bob.subject }));
          assert.equal(denied.code, grpc.status.PERMISSION_DENIED);
          assert.match(decodeURIComponent(denied.details), /^subject_id: must be empty or the caller's own subject/);
          const keepTokens = await callError(client.removeSessions({ session_id: alice.sids[0], revoke_tokens: false }));
          assert.equal(keepTokens.code, grpc.status.PERMISSION_DENIED);
          assert.match(decodeURIComponent(keepTokens.details), /^revoke_tokens: cannot be false/);
          const ended = await client.removeSessions({ session_id: alice.sids[0] });
          assert.deepEqual([ended.sessions_removed, ended.tokens_revoked, ended.session_ids], [1, 1, [alice.sids[0]]]);
          const foreign = await client.removeSessions({ session_id: bob.sids[0] });
          assert.equal(foreign.sessions_removed, 0);
          assert.deepEqual((await leftOf(bob.subject)).sessions, [...bob.sids].sort());
        } finally {
          client.close();
        }
      });
    });
  });
}
