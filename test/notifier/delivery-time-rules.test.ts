import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { clientRegistryClient, sessionManagementClient } from "../support/grpc-client.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";

for (const backend of await testBackends()) {
  describe(`logout URI rules at delivery time (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let receiver: LogoutReceiver;

    before(async () => {
      receiver = await startReceiver();
      server = await startTestServer(backend, { notifier: true, notifierAllowAddresses: "127.0.0.1", allowHttpLogoutUris: true, notifierPollMs: 200 });
    });
    after(async () => {
      await server?.stop();
      await receiver?.close();
    });

    const logOut = async (clientId: string) => {
      const [session] = await createSessions(server.db.stores, [{ clientIds: [clientId] }]);
      const admin = sessionManagementClient(server.port);
      try {
        await admin.removeSessions({ subject_id: session!.subjectId });
      } finally {
        admin.close();
      }
      return eventually(`a final outbox row for ${session!.subjectId}`, async () => {
        const [row] = await server.db.stores.outbox.list({ subjectId: session!.subjectId }, 10);
        return row && (row.status === "delivered" || row.status === "dead") ? row : undefined;
      });
    };

    it("should stop sending to a plain http URI stored while allowed once a restart turns the option off, marking it dead with the reason", async () => {
      const registry = clientRegistryClient(server.port);
      await registry.putClient({ client: { client_id: "plain-rp", backchannel_logout_uri: receiver.url("/plain") } });
      registry.close();
      const allowed = await logOut("plain-rp");
      assert.equal(allowed.status, "delivered", "sent while plain http is allowed");
      assert.equal(receiver.to("/plain").length, 1);

      await server.restart({ allowHttpLogoutUris: false });
      const refused = await logOut("plain-rp");
      assert.equal(refused.status, "dead");
      assert.equal(refused.lastStatusCode, undefined);
      assert.equal(
        refused.lastError,
        "the back-channel logout URI is refused: backchannel_logout_uri: must use https (plain http needs --allow-http-logout-uris)",
      );
      // Give a wrongly sent request time to arrive before counting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.to("/plain").length, 1, "nothing more reached the relying party");
    });
  });
}
