import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Client } from "../../src/domain/client.js";
import { testBackends, type TestDatabase } from "../support/backends.js";

// The ClientStore operations behind the ClientRegistry service.
for (const backend of await testBackends()) {
  describe(`client store, registry (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db?.drop();
    });

    const client = (clientId: string, overrides: Partial<Client> = {}): Client => ({ clientId, enabled: true, backchannelLogoutSessionRequired: true, ...overrides });
    const ids = (clients: readonly Client[]) => clients.map((c) => c.clientId);

    it("should list clients in registration order, a replaced client keeping its place", async () => {
      for (const id of ["zulu", "alpha", "mike"]) await db.stores.clients.put(client(id));
      await db.stores.clients.put(client("zulu", { enabled: false, logoutTokenType: "none" }));
      const all = await db.stores.clients.findPage({ direction: "forward" }, 10);
      assert.deepEqual(ids(all), ["zulu", "alpha", "mike"]);
      assert.equal(all[0]!.enabled, false);
      assert.equal(all[0]!.logoutTokenType, "none");
      assert.equal(await db.stores.clients.count(), 3);

      const after = await db.stores.clients.findPage({ direction: "forward", afterPk: all[0]!.pk }, 1);
      assert.deepEqual(ids(after), ["alpha"]);
      assert.deepEqual(ids(await db.stores.clients.findPage({ direction: "backward", beforePk: all[2]!.pk }, 10)), ["alpha", "zulu"]);
      assert.equal(await db.stores.clients.existsBeyond({ direction: "forward", afterPk: all[2]!.pk }), false);
      assert.equal(await db.stores.clients.existsBeyond({ direction: "backward", beforePk: all[1]!.pk }), true);
    });

    it("should delete a client once, and then list it no more", async () => {
      await db.stores.clients.put(client("leaving", { backchannelLogoutUri: "https://leaving.example/logout" }));
      assert.equal(await db.stores.clients.delete("leaving"), true);
      assert.equal(await db.stores.clients.delete("leaving"), false);
      assert.equal(await db.stores.clients.get("leaving"), undefined);
      assert.deepEqual(await db.stores.clients.findNotifiable(["leaving"]), new Set());
      assert.equal(ids(await db.stores.clients.findPage({ direction: "forward" }, 100)).includes("leaving"), false);
    });
  });
}
