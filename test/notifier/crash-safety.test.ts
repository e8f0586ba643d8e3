import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { decodeJwt } from "jose";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { sessionManagementClient } from "../support/grpc-client.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";

const sessions = 400;
const perDestination = 4;

for (const backend of await testBackends()) {
  describe(`back-channel logout after a crash (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase | undefined;
    let receiver: LogoutReceiver | undefined;
    const processes: ServerProcess[] = [];
    after(async () => {
      for (const p of processes) p.child.kill("SIGKILL");
      await Promise.all(processes.map((p) => p.exited));
      await receiver?.close();
      await db?.drop();
    });

    it("should deliver every queued notification when the server is killed mid fan-out and started again", { timeout: 300_000 }, async () => {
      db = await backend.open();
      receiver = await startReceiver();
      // Slow enough that the fan-out is still running when the process dies.
      receiver.on("/logout", () => ({ status: 200, delayMs: 15 }));
      await db.stores.clients.put({ clientId: "rp", enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: true });
      const created = await createSessions(db.stores, Array.from({ length: sessions }, () => ({ subjectId: "crash", clientIds: ["rp"] })));
      const env = {
        DATABASE_URL: db.url,
        PORT: "0",
        HTTP_PORT: "0",
        NOTIFIER_ALLOW_ADDRESSES: "127.0.0.1",
        ALLOW_HTTP_LOGOUT_URIS: "true",
        NOTIFIER_TIMEOUT_MS: "1000",
        NOTIFIER_PER_DESTINATION: String(perDestination),
        NOTIFIER_POLL_MS: "200",
        LOG_LEVEL: "info",
      };

      const first = startServerProcess(env);
      processes.push(first);
      const client = sessionManagementClient(await first.port);
      const removed = await client.removeSessions({ subject_id: "crash" });
      client.close();
      assert.equal(removed.notifications_queued, sessions);
      await receiver.waitFor(40);
      first.child.kill("SIGKILL");
      await first.exited;
      const beforeCrash = receiver.received.length;
      assert.ok(beforeCrash < sessions, `killed in the middle of the fan-out (${beforeCrash} of ${sessions} had arrived)`);

      const second = startServerProcess(env);
      processes.push(second);
      await second.port;
      const sids = () => new Set(receiver!.received.map((r) => decodeJwt(r.token!).sid));
      await eventually("every session's logout token", () => (sids().size === sessions ? true : undefined), 120_000);
      assert.deepEqual([...sids()].sort(), created.map((s) => s.sessionId).sort());
      const rows = await eventually("every row delivered", async () => {
        const all = await db!.stores.outbox.list({ subjectId: "crash" }, sessions + 1);
        return all.every((row) => row.status === "delivered") ? all : undefined;
      });
      assert.equal(rows.length, sessions);
      // Only attempts in flight when the process died may have arrived twice.
      const duplicates = receiver.received.length - sessions;
      console.log(`${beforeCrash} of ${sessions} tokens arrived before the kill; ${duplicates} arrived twice`);
      assert.ok(duplicates <= perDestination, `${duplicates} duplicates, at most ${perDestination} attempts were in flight`);
      second.child.kill("SIGTERM");
      assert.equal(await second.exited, 0);
    });
  });
}
