import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import type { Client } from "../../src/store/client-store.js";
import type { OutboxNotification } from "../../src/store/notification-outbox.js";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { sessionManagementClient, type SessionManagementClient } from "../support/grpc-client.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";

const issuer = "https://login.example.com/tenant";
const backchannelEvent = "http://schemas.openid.net/event/backchannel-logout";
let sequence = 0;

for (const backend of await testBackends()) {
  describe(`back-channel logout delivery (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let client: SessionManagementClient;
    let receiver: LogoutReceiver;
    const timeoutMs = 1500;

    before(async () => {
      receiver = await startReceiver();
      server = await startTestServer(backend, {
        notifier: true,
        notifierAllowAddresses: "127.0.0.1",
        allowHttpLogoutUris: true,
        notifierTimeoutMs: timeoutMs,
        notifierRetryBaseMs: 200,
        notifierRetryMaxMs: 1000,
        notifierMaxAttempts: 4,
        notifierPerDestination: 4,
        notifierPollMs: 200,
        issuer,
      });
      client = sessionManagementClient(server.port);
    });
    after(async () => {
      client?.close();
      await server?.stop();
      await receiver?.close();
    });

    const restart = async (overrides: Parameters<TestServer["restart"]>[0]) => {
      await server.restart(overrides);
      client.close();
      client = sessionManagementClient(server.port);
    };
    /** A client whose back-channel logout URI is a fresh path on the receiver. */
    const newClient = async (overrides: Partial<Client> = {}) => {
      const n = ++sequence;
      const path = `/rp-${n}/logout`;
      const registered: Client = {
        clientId: `rp-${n}`,
        enabled: true,
        backchannelLogoutUri: receiver.url(`${path}?tenant=a&x=%20y`),
        backchannelLogoutSessionRequired: true,
        ...overrides,
      };
      await server.db.stores.clients.put(registered);
      return { ...registered, path };
    };
    /** Signs a session in to the clients and removes it over gRPC; returns the session. */
    const logOut = async (clientIds: string[], overrides: Record<string, unknown> = {}) => {
      const [session] = await createSessions(server.db.stores, [{ clientIds, ...overrides }]);
      await client.removeSessions({ subject_id: session!.subjectId });
      return session!;
    };
    const rowsOf = (clientId: string) => server.db.stores.outbox.list({ clientId }, 1000);
    const finalRow = (clientId: string) =>
      eventually(`a final outbox row for ${clientId}`, async () => {
        const [row] = await rowsOf(clientId);
        return row && (row.status === "delivered" || row.status === "dead") ? row : undefined;
      });

    it("should POST a logout token that verifies claim by claim against the served JWKS", async () => {
      const rp = await newClient();
      const session = await logOut([rp.clientId]);
      await receiver.waitFor(1, (r) => r.path === rp.path);
      const [request] = receiver.to(rp.path);
      assert.equal(request!.method, "POST");
      assert.equal(request!.url, `${rp.path}?tenant=a&x=%20y`, "the query string is kept");
      assert.equal(request!.headers["content-type"], "application/x-www-form-urlencoded");
      assert.equal(request!.headers.cookie, undefined);
      assert.equal(request!.headers.authorization, undefined);
      assert.deepEqual([...new URLSearchParams(request!.body).keys()], ["logout_token"]);

      const jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${server.httpPort}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(request!.token!, jwks, {
        issuer: session.issuer,
        audience: rp.clientId,
        typ: "logout+jwt",
        algorithms: ["RS256"],
      });
      assert.equal(protectedHeader.alg, "RS256");
      assert.equal(typeof protectedHeader.kid, "string");
      assert.equal(protectedHeader.typ, "logout+jwt");
      assert.equal(payload.iss, "https://idp.example.com", "the session's issuer, byte for byte");
      assert.equal(payload.aud, rp.clientId, "aud is the client id as a string");
      assert.equal(payload.sub, session.subjectId);
      assert.equal(payload.sid, session.sessionId);
      assert.deepEqual(payload.events, { [backchannelEvent]: {} });
      assert.equal(typeof payload.jti, "string");
      assert.ok(payload.jti!.length >= 16);
      assert.equal(typeof payload.iat, "number");
      assert.ok(payload.exp! > payload.iat! && payload.exp! - payload.iat! <= 120, "exp at most 120 s after iat");
      assert.equal("nonce" in payload, false);
      assert.deepEqual(Object.keys(payload).sort(), ["aud", "events", "exp", "iat", "iss", "jti", "sid", "sub"]);

      const row = await finalRow(rp.clientId);
      assert.equal(row.status, "delivered");
      assert.equal(row.attempts, 1);
      assert.equal(row.lastStatusCode, 200);
      assert.equal(row.nextAttemptAt, undefined);
      assert.ok(row.deliveredAt);
    });

    it("should use the configured issuer for sessions without one, leave out sid when there is none, and honour each client's typ", async () => {
      const jwt = await newClient({ logoutTokenType: "JWT", backchannelLogoutSessionRequired: false });
      const none = await newClient({ logoutTokenType: "none", backchannelLogoutSessionRequired: false });
      const session = await logOut([jwt.clientId, none.clientId], { issuer: undefined, sessionId: undefined });
      await receiver.waitFor(1, (r) => r.path === jwt.path);
      await receiver.waitFor(1, (r) => r.path === none.path);
      const jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${server.httpPort}/.well-known/jwks.json`));
      const viaJwt = await jwtVerify(receiver.to(jwt.path)[0]!.token!, jwks, { issuer, audience: jwt.clientId, typ: "JWT" });
      assert.equal(viaJwt.protectedHeader.typ, "JWT");
      assert.equal(viaJwt.payload.sub, session.subjectId);
      assert.equal("sid" in viaJwt.payload, false);
      const viaNone = await jwtVerify(receiver.to(none.path)[0]!.token!, jwks, { issuer, audience: none.clientId });
      assert.equal("typ" in viaNone.protectedHeader, false);
    });

    it("should send nothing to a client that requires sid for a session without one, and say why", async () => {
      const rp = await newClient({ backchannelLogoutSessionRequired: true });
      await logOut([rp.clientId], { sessionId: undefined });
      const row = await finalRow(rp.clientId);
      assert.equal(row.status, "dead");
      assert.match(row.lastError!, /requires a session id/);
      assert.equal(receiver.to(rp.path).length, 0);
    });

    it("should retry 5xx with a token minted for each attempt, carrying the notification's one jti, until delivered", async () => {
      const rp = await newClient();
      receiver.on(rp.path, (n) => (n <= 2 ? { status: 503, body: "down for maintenance" } : { status: 204 }));
      await logOut([rp.clientId]);
      const row = await finalRow(rp.clientId);
      assert.equal(row.status, "delivered");
      assert.equal(row.attempts, 3);
      assert.equal(row.lastStatusCode, 204);
      const requests = receiver.to(rp.path);
      assert.equal(requests.length, 3);
      const jtis = requests.map((r) => decodeJwt(r.token!).jti);
      assert.equal(new Set(jtis).size, 1, "one jti per notification, so that relying parties can drop a repeated delivery");
      const other = await newClient();
      await logOut([other.clientId]);
      await finalRow(other.clientId);
      assert.notEqual(decodeJwt(receiver.to(other.path)[0]!.token!).jti, jtis[0], "another notification has another jti");
      const gaps = requests.slice(1).map((r, i) => r.at - requests[i]!.at);
      // Full jitter: each gap lies in [0, bound]; the bound doubles per attempt.
      console.log(`retry gaps: ${gaps.join(" ms, ")} ms (bounds 200 ms, 400 ms)`);
    });

    it("should record a failed attempt with its answer, and a Retry-After beyond the cap as the cap", async () => {
      const rp = await newClient();
      receiver.on(rp.path, (n) => (n === 1 ? { status: 503, headers: { "retry-after": "3600" }, body: "boom\n\u0000details" } : { status: 200 }));
      await logOut([rp.clientId]);
      const failed = await eventually("the first failure to be recorded", async () => {
        const [row] = await rowsOf(rp.clientId);
        return row?.status === "failed" ? row : undefined;
      });
      assert.equal(failed.attempts, 1);
      assert.equal(failed.lastStatusCode, 503);
      assert.equal(failed.lastError, "HTTP 503: boom details");
      assert.equal(failed.nextAttemptAt!.getTime() - failed.lastAttemptAt!.getTime(), 1000, "Retry-After capped at --notifier-retry-max-ms");
      assert.equal((await finalRow(rp.clientId)).status, "delivered");
    });

    it("should honour Retry-After on 429 within the cap", async () => {
      const rp = await newClient();
      receiver.on(rp.path, (n) => (n === 1 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 }));
      await logOut([rp.clientId]);
      const row = await finalRow(rp.clientId);
      assert.equal(row.status, "delivered");
      const [first, second] = receiver.to(rp.path);
      assert.ok(second!.at - first!.at >= 1000 - 5, `waited ${second!.at - first!.at} ms`);
    });

    it("should time out a relying party that hangs, while others are delivered meanwhile", async () => {
      const slow = await newClient();
      const healthy = await newClient();
      receiver.on(slow.path, () => "hang");
      let hangingWhileHealthyServed: number | undefined;
      receiver.on(healthy.path, () => {
        hangingWhileHealthyServed = receiver.to(slow.path).length > 0 ? receiver.open() - 1 : undefined;
        return { status: 200 };
      });
      await logOut([slow.clientId]);
      await receiver.waitFor(1, (r) => r.path === slow.path);
      await logOut([healthy.clientId]);
      assert.equal((await finalRow(healthy.clientId)).status, "delivered");
      assert.ok(hangingWhileHealthyServed !== undefined && hangingWhileHealthyServed >= 1, "the hanging request was still open");
      const failed = await eventually("the timeout to be recorded", async () => {
        const [row] = await rowsOf(slow.clientId);
        return row?.attempts === 1 ? row : undefined;
      });
      assert.match(failed.lastError!, new RegExp(`no answer within ${timeoutMs} ms`));
      assert.equal(failed.lastStatusCode, undefined);
    });

    it("should not follow a redirect, and end the notification", async () => {
      const rp = await newClient();
      const target = `/redirect-target-${sequence}`;
      receiver.on(rp.path, () => ({ status: 307, headers: { location: receiver.url(target) } }));
      await logOut([rp.clientId]);
      const row = await finalRow(rp.clientId);
      assert.equal(row.status, "dead");
      assert.equal(row.lastStatusCode, 307);
      assert.match(row.lastError!, /redirects are not followed/);
      assert.equal(receiver.to(target).length, 0);
      assert.equal(receiver.to(rp.path).length, 1);
    });

    it("should end the notification at once on 400", async () => {
      const rp = await newClient();
      receiver.on(rp.path, () => ({ status: 400, headers: { "content-type": "application/json" }, body: '{"error":"invalid_request"}' }));
      await logOut([rp.clientId]);
      const row = await finalRow(rp.clientId);
      assert.equal(row.status, "dead");
      assert.equal(row.attempts, 1);
      assert.equal(row.lastError, 'HTTP 400: {"error":"invalid_request"}');
      assert.equal(receiver.to(rp.path).length, 1);
    });

    it("should make a notification dead after the last attempt", async () => {
      const rp = await newClient();
      receiver.on(rp.path, () => ({ status: 502 }));
      await logOut([rp.clientId]);
      const row = await finalRow(rp.clientId);
      assert.equal(row.status, "dead");
      assert.equal(row.attempts, 4);
      assert.match(row.lastError!, /^HTTP 502 \(no attempts left\)$/);
      assert.equal(receiver.to(rp.path).length, 4);
    });

    it("should end notifications of clients deleted, disabled or stripped of their URI since, without sending", async () => {
      const disabled = await newClient();
      const stripped = await newClient();
      // Queue while the clients can be notified, then change them before delivery.
      await restart({ notifier: false });
      await logOut([disabled.clientId, stripped.clientId]);
      await server.db.stores.clients.put({ ...disabled, enabled: false });
      await server.db.stores.clients.put({ ...stripped, backchannelLogoutUri: undefined });
      await restart({});
      const rows = [await finalRow(disabled.clientId), await finalRow(stripped.clientId)];
      assert.deepEqual(rows.map((r) => r.status), ["dead", "dead"]);
      assert.match(rows[0]!.lastError!, /is disabled/);
      assert.match(rows[1]!.lastError!, /has no back-channel logout URI/);
      assert.equal(receiver.to(disabled.path).length + receiver.to(stripped.path).length, 0);
    });

    it("should deliver a thousand notifications to one relying party with at most the per-destination connections open", async () => {
      const rp = await newClient();
      receiver.on(rp.path, () => ({ status: 200, delayMs: 2 }));
      const subjectId = `fan-out-${sequence}`;
      await createSessions(server.db.stores, Array.from({ length: 1000 }, () => ({ subjectId, clientIds: [rp.clientId] })));
      const before = receiver.maxOpen();
      const removed = await client.removeSessions({ subject_id: subjectId });
      assert.equal(removed.notifications_queued, 1000);
      await receiver.waitFor(1000, (r) => r.path === rp.path, 120_000);
      const sids = receiver.to(rp.path).map((r) => decodeJwt(r.token!).sid);
      assert.equal(new Set(sids).size, 1000, "each session's token arrived once");
      assert.equal(sids.length, 1000);
      assert.ok(receiver.maxOpen() <= Math.max(before, 4), `at most 4 requests open at once, saw ${receiver.maxOpen()}`);
      const rows = await eventually("every row delivered", async () => {
        const all = await rowsOf(rp.clientId);
        return all.every((row: OutboxNotification) => row.status === "delivered") ? all : undefined;
      });
      assert.equal(rows.length, 1000);
    });

    it("should serve keys whose kid matches the token header, and only public parts", async () => {
      const response = await fetch(`http://127.0.0.1:${server.httpPort}/.well-known/jwks.json`);
      const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
      const rp = await newClient();
      await logOut([rp.clientId]);
      await receiver.waitFor(1, (r) => r.path === rp.path);
      const kid = decodeProtectedHeader(receiver.to(rp.path)[0]!.token!).kid;
      assert.equal(keys[0]!.kid, kid);
      for (const key of keys) {
        for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) assert.equal(secret in key, false, secret);
        assert.equal(key.use, "sig");
      }
    });
  });
}
