import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createStores } from "../../src/store/typeorm/stores.js";
import { testBackends } from "../support/backends.js";
import { openBeforeMigration } from "../support/before-migration.js";

// Migration 0003 makes next_attempt_at nullable (SQLite rebuilds the table):
// notifications queued before it must come through, due as they were.
for (const backend of await testBackends()) {
  describe(`migration 0003, notification delivery (${backend.name})`, { skip: backend.skip }, () => {
    it("should keep every queued notification, end final ones' schedule, never reuse an id, and undo cleanly", async () => {
      const { database, runner, migrations, index: at, close } = await openBeforeMigration(backend, "NotificationDelivery");
      try {
        const insert = "INSERT INTO logout_notifications (client_id, subject_id, session_id, issuer, reason, status, attempts, next_attempt_at, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        await runner.query(insert, ["web", "alice", "sid-1", "https://iss", "admin_removal", "pending", 0, "2026-01-01 00:00:00.000", "2026-01-01 00:00:00.000"]);
        await runner.query(insert, ["web", "alice", null, null, "expired", "delivered", 1, "2026-01-01 00:00:01.000", "2026-01-01 00:00:00.500"]);
        await runner.query(insert, ["api", "bob", "sid-3", null, "user_logout", "pending", 0, "2026-01-01 00:00:02.000", "2026-01-01 00:00:02.000"]);
        await runner.query("DELETE FROM logout_notifications WHERE subject_id = 'bob'");
        await migrations[at]!.up(runner);

        const stores = createStores(database);
        const rows = await stores.outbox.list({ subjectId: "alice" }, 10);
        assert.deepEqual(
          rows.map((r) => [r.id, r.clientId, r.sessionId, r.issuer, r.reason, r.status, r.attempts, r.nextAttemptAt?.toISOString(), r.created.toISOString()]),
          [
            [1, "web", "sid-1", "https://iss", "admin_removal", "pending", 0, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"],
            [2, "web", undefined, undefined, "expired", "delivered", 1, undefined, "2026-01-01T00:00:00.500Z"],
          ],
        );
        await stores.outbox.enqueue([{ clientId: "web", subjectId: "carol", reason: "expired" }], new Date());
        const [carol] = await stores.outbox.list({ subjectId: "carol" }, 10);
        assert.equal(carol!.id, 4, "the deleted row's id 3 is not reused");

        await migrations[at]!.down(runner);
        const [delivered] = await runner.query("SELECT next_attempt_at FROM logout_notifications WHERE id = 2");
        assert.notEqual(delivered.next_attempt_at, null, "down gives final rows a time again");
        await migrations[at]!.up(runner);
      } finally {
        await close();
      }
    });
  });
}
