import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { jobEndedMethod } from "../../src/jobs/job-audit.js";
import { createTerminationRunner, type TerminationRunner } from "../../src/jobs/termination-runner.js";
import type { Stores } from "../../src/store/stores.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { newSession } from "../support/fixtures.js";
import { startTcpProxy } from "../support/tcp-proxy.js";
import { countRows, duplicateNotifications, openOtherInstance, recordJob, seedTerminationWorld } from "../support/termination-world.js";

const logger = pino({ level: "silent" });
const runnerOptions = { pollMs: 50, batchSize: 100, leaseMs: 5000, maxFailures: 5 };

function runner(stores: Stores, options: Partial<typeof runnerOptions> = {}, owner?: string): TerminationRunner {
  return createTerminationRunner({ ...runnerOptions, ...options }, { stores, logger, notifier: { wake() {} }, owner });
}

async function finished(stores: Stores, id: string, timeoutMs = 60_000) {
  return eventually(`job ${id} to end`, async () => {
    const job = await stores.jobs.get(id);
    return job && ["succeeded", "cancelled", "failed"].includes(job.state) ? job : undefined;
  }, timeoutMs);
}

for (const backend of await testBackends()) {
  describe(`termination jobs (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    const running: TerminationRunner[] = [];
    const start = (r: TerminationRunner) => {
      running.push(r);
      r.start();
      return r;
    };

    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await Promise.all(running.map((r) => r.stop()));
      await db?.drop();
    });

    it("should terminate every session once, revoke their tokens, queue every notification once, and audit the end", async () => {
      const world = await seedTerminationWorld(db.stores, 1200, "all");
      const job = await recordJob(db.stores);
      const r = start(runner(db.stores));
      const ended = await finished(db.stores, job.id);
      await r.stop();
      assert.equal(ended.state, "succeeded");
      assert.deepEqual(ended.progress, { sessions: 1200, tokens: 1200, consents: 0, notifications: world.notifications });
      assert.equal(ended.batches, 13, "12 full batches and a short one");
      assert.equal(await countRows(db.database, "server_side_sessions"), 0);
      assert.equal(await countRows(db.database, "logout_notifications"), world.notifications);
      assert.equal(await duplicateNotifications(db.database), 0);
      assert.equal(await countRows(db.database, "persisted_grants"), 0);
      const audit = await db.stores.audit.findPage({ method: jobEndedMethod }, { direction: "forward" }, 10);
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.code, "OK");
      assert.equal(audit[0]!.principalId, "test-admin");
      assert.match(audit[0]!.outcomeJson ?? "", /"sessions":1200/);
    });

    it("should leave sessions recorded after the job started, unless asked to include them", async () => {
      await seedTerminationWorld(db.stores, 30, "later");
      const job = await recordJob(db.stores, { filter: { clientId: "A" } });
      await db.stores.transaction(async (tx) => {
        for (let i = 0; i < 5; i++) await tx.sessions.create(newSession({ clientIds: ["A"] }));
      });
      const r = start(runner(db.stores));
      const ended = await finished(db.stores, job.id);
      assert.equal(ended.progress.sessions, 20, "the sessions of A recorded before the start");
      assert.equal(await db.stores.sessions.count({ clientId: "A" }), 5);
      const sweeping = await recordJob(db.stores, { filter: { clientId: "A" }, includeNewSessions: true, lastPk: 0 });
      r.wake();
      assert.equal((await finished(db.stores, sweeping.id)).progress.sessions, 5);
      assert.equal(await db.stores.sessions.count({ clientId: "A" }), 0);
      assert.equal(await db.stores.sessions.count({}), 10, "the sessions of B and C only stay");
      await r.stop();
      await db.stores.transaction(async (tx) => tx.sessions.deleteByPks((await tx.sessions.findPage({}, { direction: "forward" }, 100)).map((s) => s.pk)));
    });

    it("should terminate each session once when two instances compete for one job, stealing its lease at every batch", async () => {
      await db.database.dataSource.query("DELETE FROM logout_notifications");
      const world = await seedTerminationWorld(db.stores, 1500, "race");
      const job = await recordJob(db.stores);
      const other = await openOtherInstance(db.url);
      try {
        const batches = new Map<string, number>();
        const count = (owner: string) => () => batches.set(owner, (batches.get(owner) ?? 0) + 1);
        const a = createTerminationRunner({ ...runnerOptions, batchSize: 50, leaseMs: 1, pollMs: 5 }, { stores: db.stores, logger, notifier: { wake() {} }, owner: "a", onBatch: count("a") });
        const b = createTerminationRunner({ ...runnerOptions, batchSize: 50, leaseMs: 1, pollMs: 5 }, { stores: other, logger, notifier: { wake() {} }, owner: "b", onBatch: count("b") });
        start(a);
        start(b);
        const ended = await finished(db.stores, job.id);
        await Promise.all([a.stop(), b.stop()]);
        assert.equal(ended.state, "succeeded");
        assert.deepEqual(ended.progress, { sessions: 1500, tokens: 1500, consents: 0, notifications: world.notifications });
        assert.equal(ended.batches, (batches.get("a") ?? 0) + (batches.get("b") ?? 0), "every committed batch counted once");
        // SQLite has one writer: there, the other instance mostly waits.
        if (backend.name === "mysql") assert.ok((batches.get("a") ?? 0) > 0 && (batches.get("b") ?? 0) > 0, `both instances ran batches: ${JSON.stringify([...batches])}`);
        assert.equal(await countRows(db.database, "server_side_sessions"), 0);
        assert.equal(await countRows(db.database, "logout_notifications"), world.notifications);
        assert.equal(await duplicateNotifications(db.database), 0);
      } finally {
        await other.close();
      }
    });

    it("should stop a cancelled job after its batch, with counts that add up to what was terminated", async () => {
      await db.database.dataSource.query("DELETE FROM logout_notifications");
      await seedTerminationWorld(db.stores, 900, "cancel");
      const job = await recordJob(db.stores, { sessionsPerSecond: 600 });
      const r = start(runner(db.stores, { batchSize: 50 }));
      await eventually("some progress", async () => ((await db.stores.jobs.get(job.id))!.progress.sessions >= 200 ? true : undefined));
      assert.equal(await db.stores.jobs.cancel(job.id, "test-admin", new Date()), true);
      const ended = await finished(db.stores, job.id);
      await r.stop();
      assert.equal(ended.state, "cancelled");
      const after = await db.stores.jobs.get(job.id);
      assert.deepEqual(after!.progress, ended.progress, "no batch commits after the cancel");
      assert.equal(ended.progress.sessions, 900 - (await countRows(db.database, "server_side_sessions")));
      assert.equal(ended.progress.notifications, await countRows(db.database, "logout_notifications"));
      assert.ok(ended.progress.sessions < 900);
      assert.equal(await db.stores.jobs.cancel(job.id, "test-admin", new Date()), false, "an ended job stays as it ended");
      await db.stores.transaction(async (tx) => tx.sessions.deleteByPks((await tx.sessions.findPage({}, { direction: "forward" }, 1000)).map((s) => s.pk)));
    });

    it("should carry a job on through a database outage, terminating each session once", { skip: backend.name === "sqlite" && "no network between SQLite and the process" }, async () => {
      await db.database.dataSource.query("DELETE FROM logout_notifications");
      await db.database.dataSource.query("DELETE FROM persisted_grants");
      const world = await seedTerminationWorld(db.stores, 1500, "outage");
      const job = await recordJob(db.stores, { sessionsPerSecond: 1500 });
      const url = new URL(db.url);
      const proxy = await startTcpProxy(url.hostname, Number(url.port || 3306));
      url.host = `127.0.0.1:${proxy.port}`;
      const throughProxy = await openOtherInstance(url.toString());
      try {
        const r = start(runner(throughProxy, { batchSize: 50 }));
        await eventually("some progress", async () => ((await db.stores.jobs.get(job.id))!.progress.sessions >= 300 ? true : undefined));
        await proxy.cut();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await proxy.restore();
        const ended = await finished(db.stores, job.id);
        await r.stop();
        assert.equal(ended.state, "succeeded");
        assert.deepEqual(ended.progress, { sessions: 1500, tokens: 1500, consents: 0, notifications: world.notifications });
        assert.equal(await countRows(db.database, "server_side_sessions"), 0);
        assert.equal(await countRows(db.database, "logout_notifications"), world.notifications);
        assert.equal(await duplicateNotifications(db.database), 0);
      } finally {
        await throughProxy.close();
        await proxy.close();
      }
    });
  });
}
