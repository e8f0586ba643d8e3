import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { pino } from "pino";
import { seedDemoData } from "../../src/cli/seed.js";
import { grantTypes } from "../../src/domain/grant-types.js";
import type { Stores } from "../../src/store/stores.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { createSweeper, type SweepCounts, type SweeperOptions } from "../../src/sweeper/sweeper.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { createSessions } from "../support/seed-sessions.js";

const now = new Date("2026-06-01T12:00:00.000Z");
const day = 86_400_000;
const options = (overrides: Partial<SweeperOptions> = {}): SweeperOptions => ({
  intervalMs: 60_000,
  batchSize: 2,
  revokeTokens: true,
  notify: true,
  grantRetentionMs: day,
  notificationRetentionMs: 7 * day,
  ...overrides,
});
const silent = pino({ level: "silent" });

for (const backend of await testBackends()) {
  describe(`sweeper (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    let wakes: number;
    const sweeper = (overrides: Partial<SweeperOptions> = {}, stores: Stores = db.stores) =>
      createSweeper(options(overrides), { stores, logger: silent, now: () => now, notifier: { wake: () => wakes++ } });

    beforeEach(async () => {
      await db?.drop();
      db = await backend.open();
      wakes = 0;
      await db.stores.clients.put({ clientId: "web", enabled: true, backchannelLogoutUri: "https://web.example/logout", backchannelLogoutSessionRequired: true });
      await db.stores.clients.put({ clientId: "api", enabled: true, backchannelLogoutUri: "https://api.example/logout", backchannelLogoutSessionRequired: true });
      await db.stores.clients.put({ clientId: "off", enabled: false, backchannelLogoutUri: "https://off.example/logout", backchannelLogoutSessionRequired: true });
    });
    after(async () => {
      await db?.drop();
    });

    /** Five expired sessions (two of subject "gone"), one live, one without expiry; a token per session and a consent. */
    async function world(): Promise<void> {
      const ago = (ms: number) => new Date(now.getTime() - ms);
      await createSessions(db.stores, [
        { subjectId: "gone", sessionId: "e1", expires: ago(5000), clientIds: ["web", "api", "off"] },
        { subjectId: "gone", sessionId: "e2", expires: ago(4000), clientIds: ["web"] },
        { subjectId: "e3", sessionId: "e3", expires: ago(3000), clientIds: [] },
        { subjectId: "e4", sessionId: undefined, expires: ago(2000), clientIds: ["api"] },
        { subjectId: "e5", sessionId: "e5", expires: ago(1), clientIds: ["web"] },
        { subjectId: "live", sessionId: "live", expires: new Date(now.getTime() + 1000), clientIds: ["web"] },
        { subjectId: "forever", sessionId: "forever", expires: undefined, clientIds: ["web"] },
      ]);
      for (const [subjectId, sessionId] of [["gone", "e1"], ["gone", "e2"], ["e3", "e3"], ["e5", "e5"], ["live", "live"], ["forever", "forever"]]) {
        await db.stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "web", subjectId, sessionId, expiration: new Date(now.getTime() + day) }));
      }
      await db.stores.grants.store(newGrant({ type: grantTypes.userConsent, clientId: "web", subjectId: "gone" }));
    }
    const remaining = async () => (await db.stores.sessions.findPage({}, { direction: "forward" }, 100)).map((s) => s.sessionId ?? s.subjectId);
    const notifications = async () =>
      (await db.stores.outbox.list({}, 1000)).map((n) => `${n.sessionId ?? n.subjectId}>${n.clientId}:${n.reason}`).sort();

    it("should remove every expired session in batches, revoking its tokens and notifying its clients that it expired", async () => {
      await world();
      const counts = await sweeper().sweep();
      assert.deepEqual(counts, { sessionsRemoved: 5, tokensRevoked: 4, notificationsQueued: 5, grantsRemoved: 0, notificationsRemoved: 0, batches: 3 } satisfies SweepCounts);
      assert.deepEqual(await remaining(), ["live", "forever"]);
      assert.deepEqual(await notifications(), ["e1>api:expired", "e1>web:expired", "e2>web:expired", "e4>api:expired", "e5>web:expired"]);
      const grantsLeft = (await db.stores.grants.findAll({ subjectId: "gone" })).map((g) => g.type);
      assert.deepEqual(grantsLeft, [grantTypes.userConsent], "consents are not session-bound");
      assert.equal((await db.stores.grants.findAll({ subjectId: "live" })).length, 1);
      assert.equal(wakes, 3);
      assert.deepEqual(await sweeper().sweep(), { sessionsRemoved: 0, tokensRevoked: 0, notificationsQueued: 0, grantsRemoved: 0, notificationsRemoved: 0, batches: 0 });
    });

    it("should leave tokens and the outbox alone when told to", async () => {
      await world();
      const counts = await sweeper({ revokeTokens: false, notify: false, batchSize: 100 }).sweep();
      assert.deepEqual(counts, { sessionsRemoved: 5, tokensRevoked: 0, notificationsQueued: 0, grantsRemoved: 0, notificationsRemoved: 0, batches: 1 });
      assert.deepEqual(await notifications(), []);
      assert.equal((await db.stores.grants.findAll({ subjectId: "gone" })).length, 3);
      assert.equal(wakes, 0);
    });

    it("should remove grants once the retention has passed since they expired or were consumed", async () => {
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const store = (key: string, expiration?: Date, consumedTime?: Date) =>
        db.stores.grants.store(newGrant({ key, type: grantTypes.refreshToken, clientId: "web", subjectId: "g", expiration, consumedTime }));
      await store("expired-long-ago", ago(2 * day));
      await store("expired-recently", ago(day / 2));
      await store("consumed-long-ago", new Date(now.getTime() + day), ago(day + 1));
      await store("consumed-recently", new Date(now.getTime() + day), ago(1000));
      await store("valid", new Date(now.getTime() + day));
      await store("no-expiry");
      const counts = await sweeper().sweep();
      assert.equal(counts.grantsRemoved, 2);
      assert.deepEqual((await db.stores.grants.findAll({ subjectId: "g" })).map((g) => g.key).sort(), ["consumed-recently", "expired-recently", "no-expiry", "valid"]);
      assert.equal((await sweeper({ grantRetentionMs: 0 }).sweep()).grantsRemoved, 2);
    });

    it("should remove delivered notifications once the retention has passed, and keep the ones still waiting or given up", async () => {
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const sessions = ["delivered-long-ago", "delivered-recently", "failed-long-ago", "dead-long-ago", "pending-long-ago"];
      await db.stores.outbox.enqueue(sessions.map((sessionId) => ({ clientId: "web", subjectId: "n", sessionId, reason: "admin_removal" as const })), ago(30 * day));
      const claims = await db.stores.transaction((tx) => tx.outbox.claimDue(now, 10, 60_000), { isolation: "read-committed" });
      const claimOf = (sessionId: string) => claims.find((c) => c.sessionId === sessionId)!;
      await db.stores.outbox.recordOutcome(claimOf("delivered-long-ago"), { status: "delivered", at: ago(8 * day), statusCode: 200 });
      await db.stores.outbox.recordOutcome(claimOf("delivered-recently"), { status: "delivered", at: ago(6 * day), statusCode: 204 });
      await db.stores.outbox.recordOutcome(claimOf("failed-long-ago"), { status: "failed", at: ago(8 * day), error: "503", nextAttemptAt: now });
      await db.stores.outbox.recordOutcome(claimOf("dead-long-ago"), { status: "dead", at: ago(8 * day), error: "400" });
      await db.stores.transaction((tx) => tx.outbox.release([claimOf("pending-long-ago")], ago(8 * day)), { isolation: "read-committed" });

      const counts = await sweeper().sweep();
      assert.equal(counts.notificationsRemoved, 1);
      const left = async () => (await db.stores.outbox.list({ subjectId: "n" }, 100)).map((n) => n.sessionId).sort();
      assert.deepEqual(await left(), ["dead-long-ago", "delivered-recently", "failed-long-ago", "pending-long-ago"]);
      assert.equal((await sweeper({ notificationRetentionMs: day, batchSize: 1 }).sweep()).notificationsRemoved, 1);
      assert.deepEqual(await left(), ["dead-long-ago", "failed-long-ago", "pending-long-ago"]);
    });

    it("should stop between batches, leaving every batch whole", async () => {
      const expired = Array.from({ length: 300 }, (_, i) => ({ subjectId: `stop-${i}`, sessionId: `stop-${i}`, expires: new Date(now.getTime() - 1000), clientIds: ["web"] }));
      await createSessions(db.stores, expired);
      const sweeping = sweeper({ batchSize: 10 });
      const sweep = sweeping.sweep();
      await sweeping.stop();
      const counts = await sweep;
      assert.ok(counts.sessionsRemoved < 300, "stopped before the end");
      assert.equal(await db.stores.sessions.count({}), 300 - counts.sessionsRemoved);
      assert.equal((await notifications()).length, counts.sessionsRemoved);
    });

    it("should have two instances process 10,000 expired sessions each exactly once", { timeout: 300_000 }, async () => {
      // Demo data created 30 to 14 days before `now` expires by then: every session is expired.
      const seeded = await seedDemoData(db.database, { sessions: 10_000, seed: 4, connections: 4, batchSize: 1000, now: new Date(now.getTime() - 30 * day), logoutUris: true });
      const count = async (sql: string) => Number((await db.database.dataSource.query(`SELECT COUNT(*) AS n ${sql}`))[0].n);
      const notifiable = "FROM session_clients c INNER JOIN clients k ON k.client_id = c.client_id WHERE k.enabled = 1 AND k.backchannel_logout_uri IS NOT NULL";
      const expectedNotifications = await count(notifiable);
      const expectedSessions = await count(`FROM (SELECT DISTINCT c.session_pk ${notifiable}) sessions`);
      assert.equal(await count(`FROM server_side_sessions WHERE expires < '2026-06-01'`), 10_000);

      // On MySQL each instance has its own connection pool, as separate servers would.
      let second: { stores: Stores; close(): Promise<void> } = { stores: db.stores, close: async () => undefined };
      if (backend.name === "mysql") {
        const parsed = parseDatabaseUrl(db.url);
        assert.ok("location" in parsed);
        const database = await openDatabase(parsed.location, { poolSize: 4, connectTimeoutMs: 5000 });
        second = { stores: createStores(database), close: () => database.dataSource.destroy() };
      }
      try {
        const [a, b] = await Promise.all([sweeper({ batchSize: 200 }).sweep(), sweeper({ batchSize: 200 }, second.stores).sweep()]);
        assert.equal(a.sessionsRemoved + b.sessionsRemoved, seeded.sessions, "every session processed once");
        if (backend.name === "mysql") assert.ok(a.sessionsRemoved > 0 && b.sessionsRemoved > 0, `both instances worked: ${a.sessionsRemoved} / ${b.sessionsRemoved}`);
        assert.equal(await count("FROM server_side_sessions"), 0, "none missed");
        assert.equal(await count("FROM session_clients"), 0);
        assert.equal(a.notificationsQueued + b.notificationsQueued, expectedNotifications);
        assert.equal(await count("FROM logout_notifications"), expectedNotifications);
        assert.equal(await count("FROM logout_notifications WHERE reason = 'expired'"), expectedNotifications);
        assert.equal(
          await count("FROM (SELECT session_id, client_id FROM logout_notifications GROUP BY session_id, client_id HAVING COUNT(*) > 1) twice"),
          0,
          "no session notified twice",
        );
        assert.equal(await count("FROM (SELECT DISTINCT session_id FROM logout_notifications) notified"), expectedSessions, "every session with a notifiable client notified");
      } finally {
        await second.close();
      }
    });
  });
}
