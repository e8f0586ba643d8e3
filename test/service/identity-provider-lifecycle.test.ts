import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import {
  callError,
  clientRegistryClient,
  grantStoreClient,
  grpc,
  sessionManagementClient,
  sessionStoreClient,
  type Message,
} from "../support/grpc-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

const timestamp = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 });
const hour = 3_600_000;

/**
 * An identity provider's whole conversation with the service, through the
 * running server and an independent gRPC client: register relying parties,
 * sign a user in, add the clients the session reaches, store their grants,
 * renew, and end the session by user logout or by expiry; the admin API sees
 * it all, and the right clients are notified for the right reason.
 */
for (const backend of await testBackends()) {
  describe(`identity provider lifecycle over gRPC (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let registry: ReturnType<typeof clientRegistryClient>;
    let sessions: ReturnType<typeof sessionStoreClient>;
    let grants: ReturnType<typeof grantStoreClient>;
    let admin: ReturnType<typeof sessionManagementClient>;

    before(async () => {
      server = await startTestServer(backend, { sweeper: true, sweeperIntervalMs: 100 });
      registry = clientRegistryClient(server.port);
      sessions = sessionStoreClient(server.port);
      grants = grantStoreClient(server.port);
      admin = sessionManagementClient(server.port);
      await registry.putClient({ client: { client_id: "portal", backchannel_logout_uri: "https://portal.example/bc-logout" } });
      await registry.putClient({ client: { client_id: "mail", backchannel_logout_uri: "https://mail.example/bc-logout", logout_token_type: "LOGOUT_TOKEN_TYPE_JWT" } });
      await registry.putClient({ client: { client_id: "calendar", backchannel_logout_uri: "https://calendar.example/bc-logout" } });
      await registry.putClient({ client: { client_id: "legacy" } });
    });
    after(async () => {
      for (const client of [registry, sessions, grants, admin]) client?.close();
      await server?.stop();
    });

    const outbox = async (subjectId: string) =>
      (await server.db.stores.outbox.list({ subjectId }, 100)).map((n) => `${n.sessionId}>${n.clientId}:${n.reason}`).sort();
    const grantsOf = async (subjectId: string) =>
      ((await grants.listGrants({ filter: { subject_id: subjectId } })).results as Message[]).map((g) => `${g.type}:${g.session_id || "-"}:${g.client_id}`).sort();

    /** Sign-in at the portal, single sign-on to mail, calendar and legacy, tokens for each, a renewal. */
    async function signIn(subjectId: string, sid: string, key: string): Promise<void> {
      const now = Date.now();
      await sessions.createSession({
        session: {
          key,
          scheme: "idsrv",
          subject_id: subjectId,
          session_id: sid,
          display_name: `${subjectId} (lifecycle)`,
          issuer: "https://login.example",
          created: timestamp(now),
          expires: timestamp(now + hour),
          client_ids: ["portal"],
          ticket: Buffer.from(`ticket for ${sid}`),
        },
      });
      await sessions.updateSession({ key, client_ids: ["mail", "calendar"] });
      await sessions.updateSession({ key, client_ids: ["legacy"] });
      for (const client of ["portal", "mail", "calendar"]) {
        await grants.storeGrant({ grant: { key: `${sid}-rt-${client}`, type: "refresh_token", subject_id: subjectId, session_id: sid, client_id: client, data: Buffer.from("{}") } });
      }
      await grants.storeGrant({ grant: { key: `${sid}-code`, type: "authorization_code", subject_id: subjectId, session_id: sid, client_id: "mail", data: Buffer.from("{}") } });
      await grants.storeGrant({ grant: { key: `${subjectId}-consent-mail`, type: "user_consent", subject_id: subjectId, client_id: "mail", data: Buffer.from("{}") } });
      const renewed = await sessions.updateSession({ key, renewed: timestamp(now + 60_000), expires: timestamp(now + 2 * hour), ticket: Buffer.from(`renewed ticket for ${sid}`) });
      assert.equal(renewed.session.ticket.toString(), `renewed ticket for ${sid}`);
    }

    it("should end a session by user logout: tokens gone, consent kept, the other clients told of a user logout", async () => {
      await signIn("ada", "ada-sid", "ada-key");

      const [seen] = (await admin.querySessions({ subject_id: "ada" })).results as Message[];
      assert.equal(seen!.session_id, "ada-sid");
      assert.deepEqual(seen!.client_ids, ["calendar", "legacy", "mail", "portal"]);
      assert.ok(Number(seen!.renewed.seconds) > Number(seen!.created.seconds));
      assert.deepEqual(await grantsOf("ada"), [
        "authorization_code:ada-sid:mail",
        "refresh_token:ada-sid:calendar",
        "refresh_token:ada-sid:mail",
        "refresh_token:ada-sid:portal",
        "user_consent:-:mail",
      ]);

      // The user signs out at the portal, which already knows.
      const logout = await sessions.deleteSession({ key: "ada-key", revoke_tokens: true, send_backchannel_logout_notification: true, initiating_client_id: "portal" });
      assert.deepEqual(logout, { sessions_removed: 1, tokens_revoked: 4, notifications_queued: 2 });
      assert.deepEqual(await grantsOf("ada"), ["user_consent:-:mail"]);
      assert.deepEqual(await outbox("ada"), ["ada-sid>calendar:user_logout", "ada-sid>mail:user_logout"]);
      assert.deepEqual((await admin.querySessions({ subject_id: "ada" })).results, []);
      assert.equal((await callError(sessions.getSession({ key: "ada-key" }))).code, grpc.status.NOT_FOUND);
    });

    it("should end a session by expiry through the sweeper: tokens gone, every notifiable client told it expired", async () => {
      await signIn("grace", "grace-sid", "grace-key");
      // The identity provider shortens the session to now (no earlier than it
      // was created), and it runs out.
      await sessions.updateSession({ key: "grace-key", expires: timestamp(Date.now()) });

      for (let waited = 0; ; waited += 50) {
        const gone = await callError(sessions.getSession({ key: "grace-key" })).then(
          (error) => error.code === grpc.status.NOT_FOUND,
          () => false,
        );
        if (gone) break;
        if (waited > 20_000) assert.fail("the sweeper did not remove the expired session");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(await grantsOf("grace"), ["user_consent:-:mail"]);
      assert.deepEqual(await outbox("grace"), ["grace-sid>calendar:expired", "grace-sid>mail:expired", "grace-sid>portal:expired"]);
      assert.deepEqual((await admin.querySessions({ subject_id: "grace" })).results, []);
    });
  });
}
