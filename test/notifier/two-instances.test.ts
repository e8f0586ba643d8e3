import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, describe, it } from "node:test";
import { decodeJwt } from "jose";
import { pino } from "pino";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import type { Stores } from "../../src/store/stores.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { sessionManagementClient } from "../support/grpc-client.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { testConfig } from "../support/server.js";

const sessions = 1000;

/** A logger that counts the delivery attempts it records. */
function countingLogger() {
  let attempts = 0;
  const stream = new Writable({
    write(chunk, _encoding, done) {
      attempts += (String(chunk).match(/"msg":"logout notification attempt"/g) ?? []).length;
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), attempts: () => attempts };
}

for (const backend of await testBackends()) {
  describe(`back-channel logout from two instances (${backend.name})`, { skip: backend.skip ?? (backend.name === "sqlite" && "SQLite runs a single notifier") }, () => {
    let db: TestDatabase | undefined;
    let otherStores: Stores | undefined;
    const servers: RunningServer[] = [];
    const receivers: LogoutReceiver[] = [];
    after(async () => {
      for (const server of servers) await server.close();
      await otherStores?.close();
      for (const receiver of receivers) await receiver.close();
      await db?.drop();
    });

    it("should deliver each notification exactly once between them", async () => {
      db = await backend.open();
      const parsed = parseDatabaseUrl(db.url);
      assert.ok("location" in parsed);
      otherStores = createStores(await openDatabase(parsed.location, { poolSize: 8, connectTimeoutMs: 5000 }));
      for (const clientId of ["rp-a", "rp-b"]) {
        const receiver = await startReceiver();
        receiver.on("/logout", () => ({ status: 200, delayMs: 5 }));
        receivers.push(receiver);
        await db.stores.clients.put({ clientId, enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: true });
      }
      await createSessions(db.stores, Array.from({ length: sessions }, () => ({ subjectId: "shared", clientIds: ["rp-a", "rp-b"] })));
      const config = testConfig({ databaseUrl: db.url, notifier: true, notifierAllowAddresses: "127.0.0.1", allowHttpLogoutUris: true, notifierPerDestination: 4, notifierPollMs: 50 });
      const one = countingLogger();
      const two = countingLogger();
      servers.push(await startServer(config, db.stores, one.logger));
      servers.push(await startServer(config, otherStores, two.logger));

      const client = sessionManagementClient(servers[0]!.port);
      assert.equal((await client.removeSessions({ subject_id: "shared" })).notifications_queued, 2 * sessions);
      client.close();
      for (const receiver of receivers) await receiver.waitFor(sessions, () => true, 120_000);
      await eventually("every row delivered", async () => {
        const rows = await db!.stores.outbox.list({ subjectId: "shared" }, 2 * sessions + 1);
        return rows.length === 2 * sessions && rows.every((row) => row.status === "delivered") ? rows : undefined;
      });
      for (const receiver of receivers) {
        const sids = receiver.received.map((r) => decodeJwt(r.token!).sid);
        assert.equal(sids.length, sessions, "no notification was sent twice");
        assert.equal(new Set(sids).size, sessions);
      }
      console.log(`attempts by instance: ${one.attempts()} and ${two.attempts()}`);
      assert.equal(one.attempts() + two.attempts(), 2 * sessions);
      assert.ok(one.attempts() > 0 && two.attempts() > 0, "both instances delivered");
    });
  });
}
