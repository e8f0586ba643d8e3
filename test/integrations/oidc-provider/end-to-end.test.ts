import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { LogoutNotifications } from "../../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { demoClientId } from "../../../src/integrations/oidc-provider/demo/clients.js";
import { testBackends } from "../../support/backends.js";
import { eventually } from "../../support/eventually.js";
import { bearerInterceptor } from "../../support/test-credentials.js";
import { createBrowser, type Browser } from "./browser.js";
import { introspect, isLoginPage, login, logoutAtProvider, refresh, type RpSession } from "./flows.js";
import { secondClientId, startStack, type Stack } from "./stack.js";

// oidc-provider 9 with express-openid-connect as the relying party and the
// service (a separate process) on each database engine: what an end user, a
// relying party and an administrator see.

for (const backend of await testBackends()) {
  describe(`oidc-provider on the service, ${backend.name}`, { skip: backend.skip }, () => {
    let stack: Stack;
    let remove: () => Promise<void>;

    before(async () => {
      const database = await backend.createEmpty();
      remove = database.remove;
      stack = await startStack(database.url, { timeoutMs: 2000 });
    });
    after(async () => {
      await stack?.close();
      await remove?.();
    });

    it("records a login as a session with the relying party's client id, the account's display name and the sid the relying party holds", async () => {
      const session = await login(stack, createBrowser());
      const { results } = await stack.admin.querySessions({ subjectId: "alice", sessionId: session.sid });
      assert.equal(results.length, 1);
      assert.deepEqual(results[0]!.clientIds, [demoClientId]);
      assert.equal(results[0]!.displayName, "Alice Liddell");
      assert.equal(results[0]!.issuer, stack.idp.issuer);
      assert.ok(results[0]!.expires, "the session expires when the provider's session does");
    });

    it("refreshes tokens, and introspection says they are active", async () => {
      const session = await login(stack, createBrowser());
      const refreshed = await refresh(stack, session.refreshToken);
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.equal(typeof refreshed.body.access_token, "string");
      assert.equal((await introspect(stack, String(refreshed.body.access_token))).body.active, true);
      assert.equal((await introspect(stack, session.accessToken)).body.active, true);
    });

    it("ends everything after an administrator's RemoveSessions: logout token accepted, login required, refresh and introspection dead", async () => {
      const browser = createBrowser();
      const session = await login(stack, browser);
      const removed = await stack.admin.removeSessions({ sessionId: session.sid });
      assert.equal(removed.sessionsRemoved, 1);
      assert.equal(removed.notificationsQueued, 1);
      await assertEnded(stack, browser, session);
    });

    it("ends everything the same way after the user signs out at the provider, notifying each relying party of the session once, with the one sid they all hold", async () => {
      const browser = createBrowser();
      const session = await login(stack, browser);
      const second = await login(stack, browser, "alice", "wonderland", stack.rp2);
      assert.equal(second.sid, session.sid, "single sign-on: both relying parties hold the session's one sid");
      const [recorded] = (await stack.admin.querySessions({ sessionId: session.sid })).results;
      assert.deepEqual([...recorded!.clientIds].sort(), [demoClientId, secondClientId].sort());
      const signedOut = await logoutAtProvider(stack, browser);
      assert.equal(signedOut.status, 200);
      await assertEnded(stack, browser, session);
      await eventually("the second relying party to accept its logout token", () =>
        stack.rp2.logoutTokens.some((token) => token.sid === session.sid) ? true : undefined,
      );
      // Anything the provider sent itself would have arrived by now (it posts before answering).
      await sleep(500);
      assert.equal(stack.rp.logoutTokens.filter((token) => token.sid === session.sid).length, 1);
      assert.equal(stack.rp2.logoutTokens.filter((token) => token.sid === session.sid).length, 1);
      const notifications = createClient(LogoutNotifications, createGrpcTransport({ baseUrl: `http://127.0.0.1:${await stack.service.port}`, interceptors: [bearerInterceptor()] }));
      const listed = await notifications.listNotifications({ sessionId: session.sid });
      assert.deepEqual(listed.results.map((n) => n.clientId).sort(), [demoClientId, secondClientId].sort());
    });

    it("keeps an ended session ended when a request that held it saves it afterwards", async () => {
      const browser = createBrowser();
      const session = await login(stack, browser);
      const [key] = (await stack.connection.sessions.getSessions({ sessionId: session.sid })).results.map((s) => s.key);
      const adapter = stack.idp.provider.Session.adapter;
      const held = await adapter.find(key!);
      assert.ok(held, "the provider reads the session");
      await stack.admin.removeSessions({ sessionId: session.sid });
      await adapter.upsert(key!, held, 3600);
      const { results } = await stack.admin.querySessions({ sessionId: session.sid });
      assert.equal(results.length, 0, "the save did not bring the session back");
    });

    it("fails closed while the service is unreachable, and recovers when it returns", async () => {
      const browser = createBrowser();
      const session = await login(stack, browser);
      await stack.proxy.cut();
      try {
        const errorsBefore = stack.serverErrors.length;
        const refreshed = await refresh(stack, session.refreshToken);
        assert.equal(refreshed.status, 500);
        assert.equal(refreshed.body.error, "server_error");
        const introspected = await introspect(stack, session.accessToken);
        assert.notEqual(introspected.body.active, true, "never active while the service cannot say");
        const page = await browser.get(`${stack.idp.issuer}/auth?client_id=${demoClientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${stack.rp.url}/callback`)}&nonce=n&state=s`);
        assert.ok(!page.url.startsWith(`${stack.rp.url}/callback`), "no authorization code without the service");
        assert.equal(page.status, 500);
        assert.ok(stack.serverErrors.length > errorsBefore, "the provider reports the adapter's failures");
      } finally {
        await stack.proxy.restore();
      }
      const refreshed = await eventually("a refresh once the service is back", async () => {
        const result = await refresh(stack, session.refreshToken);
        return result.status === 200 ? result : undefined;
      });
      assert.equal(typeof refreshed.body.access_token, "string");
      const again = await browser.get(`${stack.rp.url}/profile`);
      assert.equal(again.status, 200, "the relying party's session is intact");
    });

    it("answers unknown, forged and malformed tokens with standard OAuth errors", async () => {
      const unknown = await refresh(stack, "no-such-refresh-token");
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error, "invalid_grant");
      const huge = await refresh(stack, "x".repeat(5000));
      assert.equal(huge.status, 400);
      assert.equal(huge.body.error, "invalid_grant");
      assert.equal((await introspect(stack, "no-such-access-token")).body.active, false);
    });
  });

  describe(`oidc-provider session expiry through the sweeper, ${backend.name}`, { skip: backend.skip }, () => {
    let stack: Stack;
    let remove: () => Promise<void>;

    before(async () => {
      const database = await backend.createEmpty();
      remove = database.remove;
      stack = await startStack(database.url, { sessionTtl: 3, sweeperIntervalMs: 200 });
    });
    after(async () => {
      await stack?.close();
      await remove?.();
    });

    it("removes an expired session, notifies the relying party and revokes its tokens", async () => {
      const browser = createBrowser();
      const session = await login(stack, browser);
      await assertEnded(stack, browser, session);
    });
  });
}

// The end state of a terminated session: the relying party accepted a logout
// token for its sid, its protected route sends the user to log in again (the
// provider's login page, not a silent sign-in), refresh fails with
// invalid_grant, introspection says inactive, and the service has no session.
async function assertEnded(stack: Stack, browser: Browser, session: RpSession): Promise<void> {
  await eventually("the relying party to accept a logout token for the session", () =>
    stack.rp.logoutTokens.some((token) => token.sid === session.sid && token.sub === session.sub) ? true : undefined,
  );
  const page = await browser.get(`${stack.rp.url}/profile`);
  assert.ok(isLoginPage(page), `expected the provider's login page, got ${page.status} at ${page.url}`);
  const refreshed = await refresh(stack, session.refreshToken);
  assert.equal(refreshed.status, 400, JSON.stringify(refreshed.body));
  assert.equal(refreshed.body.error, "invalid_grant");
  assert.equal((await introspect(stack, session.accessToken)).body.active, false);
  assert.equal((await stack.admin.querySessions({ sessionId: session.sid })).results.length, 0);
}
