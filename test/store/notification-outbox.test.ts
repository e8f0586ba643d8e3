import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PlannedNotification } from "../../src/domain/termination-plan.js";
import type { ClaimedNotification } from "../../src/store/notification-outbox.js";
import { testBackends, type TestDatabase } from "../support/backends.js";

const readCommitted = { isolation: "read-committed" } as const;
const at = (seconds: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, seconds));
let sequence = 0;

for (const backend of await testBackends()) {
  describe(`notification outbox (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db?.drop();
    });

    /** Queues notifications for a fresh client at `when`; returns the client id and the rows. */
    const queue = async (count: number, when: Date, overrides: Partial<PlannedNotification> = {}) => {
      const clientId = `outbox-${++sequence}`;
      const planned = Array.from({ length: count }, (_, i): PlannedNotification => ({
        clientId,
        subjectId: `sub-${sequence}`,
        sessionId: `sid-${sequence}-${i}`,
        issuer: "https://iss",
        reason: "admin_removal",
        ...overrides,
      }));
      await db.stores.outbox.enqueue(planned, when);
      return { clientId, rows: await db.stores.outbox.list({ clientId }, 1000) };
    };
    // Claims only rows of the given clients: other cases' rows stay where they are.
    const claim = (now: Date, limit: number, leaseMs: number, ...clientIds: string[]) =>
      db.stores.transaction(async (tx) => {
        const all = await tx.outbox.claimDue(now, 1000, leaseMs);
        const mine = all.filter((c) => clientIds.includes(c.clientId));
        await tx.outbox.release(all.filter((c) => !clientIds.includes(c.clientId)), at(0));
        await tx.outbox.release(mine.slice(limit), now);
        return mine.slice(0, limit);
      }, readCommitted);
    const rowOf = async (clientId: string, id: number) => (await db.stores.outbox.list({ clientId }, 1000)).find((r) => r.id === id)!;

    it("should claim due rows earliest first, lease them, and hand them out again only when the lease runs out", async () => {
      const { clientId, rows } = await queue(3, at(0));
      const first = await claim(at(10), 2, 30_000, clientId);
      assert.deepEqual(first.map((c) => c.id), rows.slice(0, 2).map((r) => r.id));
      assert.deepEqual(
        { ...first[0], claimToken: "" },
        { id: rows[0]!.id, clientId, subjectId: rows[0]!.subjectId, sessionId: rows[0]!.sessionId, issuer: "https://iss", reason: "admin_removal", attempts: 0, claimToken: "" },
      );
      assert.match(first[0]!.claimToken, /^[0-9a-f]{32}$/);
      assert.equal((await rowOf(clientId, rows[0]!.id)).nextAttemptAt?.getTime(), at(40).getTime(), "leased until now + lease");
      const second = await claim(at(20), 10, 30_000, clientId);
      assert.deepEqual(second.map((c) => c.id), [rows[2]!.id], "leased rows are not due");
      const third = await claim(at(41), 10, 30_000, clientId);
      assert.deepEqual(third.map((c) => c.id).sort(), rows.slice(0, 2).map((r) => r.id).sort(), "expired leases come back");
      assert.notEqual(third[0]!.claimToken, first[0]!.claimToken);
    });

    it("should skip the clients it is told to skip", async () => {
      const a = await queue(2, at(0));
      const b = await queue(2, at(0));
      const claimed = await db.stores.transaction((tx) => tx.outbox.claimDue(at(5), 1000, 60_000, new Set([a.clientId])), readCommitted);
      assert.equal(claimed.some((c) => c.clientId === a.clientId), false);
      assert.equal(claimed.filter((c) => c.clientId === b.clientId).length, 2);
      await db.stores.outbox.release(claimed, at(0));
    });

    it("should record a delivery and end the claim, refusing a claim that was lost", async () => {
      const { clientId } = await queue(1, at(0));
      const [stale] = await claim(at(1), 1, 1000, clientId);
      const [current] = await claim(at(5), 1, 1000, clientId);
      assert.equal(await db.stores.outbox.recordOutcome(stale!, { status: "delivered", at: at(6), statusCode: 200 }), false);
      assert.equal(await db.stores.outbox.recordOutcome(current!, { status: "delivered", at: at(7), statusCode: 204 }), true);
      const row = await rowOf(clientId, current!.id);
      assert.equal(row.status, "delivered");
      assert.equal(row.attempts, 1);
      assert.equal(row.lastStatusCode, 204);
      assert.equal(row.lastAttemptAt?.getTime(), at(7).getTime());
      assert.equal(row.deliveredAt?.getTime(), at(7).getTime());
      assert.equal(row.nextAttemptAt, undefined);
      assert.equal(row.lastError, undefined);
      assert.equal(await db.stores.outbox.recordOutcome(current!, { status: "dead", at: at(8), error: "late" }), false, "a claim ends with its outcome");
    });

    it("should record failures: failed with the next attempt time, or dead without one", async () => {
      const { clientId } = await queue(2, at(0));
      const [one, two] = await claim(at(1), 2, 60_000, clientId);
      await db.stores.outbox.recordOutcome(one!, { status: "failed", at: at(2), statusCode: 503, error: "HTTP 503", nextAttemptAt: at(9) });
      await db.stores.outbox.recordOutcome(two!, { status: "dead", at: at(2), error: "ECONNREFUSED: no" });
      const failed = await rowOf(clientId, one!.id);
      assert.deepEqual([failed.status, failed.attempts, failed.lastStatusCode, failed.lastError, failed.nextAttemptAt?.getTime()], ["failed", 1, 503, "HTTP 503", at(9).getTime()]);
      const dead = await rowOf(clientId, two!.id);
      assert.deepEqual([dead.status, dead.attempts, dead.lastStatusCode, dead.lastError, dead.nextAttemptAt], ["dead", 1, undefined, "ECONNREFUSED: no", undefined]);
      assert.deepEqual((await claim(at(8), 10, 1000, clientId)).map((c) => c.id), [], "not due before its time");
      const again = await claim(at(9), 10, 1000, clientId);
      assert.deepEqual(again.map((c) => [c.id, c.attempts]), [[one!.id, 1]]);
      await db.stores.outbox.release(again, at(9));
    });

    it("should give back claims without counting an attempt", async () => {
      const { clientId } = await queue(1, at(0));
      const claimed = await claim(at(1), 1, 60_000, clientId);
      await db.stores.outbox.release(claimed, at(3));
      const row = await rowOf(clientId, claimed[0]!.id);
      assert.deepEqual([row.status, row.attempts, row.nextAttemptAt?.getTime()], ["pending", 0, at(3).getTime()]);
      assert.equal(await db.stores.outbox.recordOutcome(claimed[0]!, { status: "delivered", at: at(4), statusCode: 200 }), false);
    });

    it("should put back failed and dead rows only, with a fresh schedule, and not rows with an attempt in flight", async () => {
      const { clientId, rows } = await queue(4, at(0));
      const untouched = await queue(1, at(0));
      const [dead, failed, inFlight, delivered] = await claim(at(1), 4, 60_000, clientId);
      await db.stores.outbox.recordOutcome(dead!, { status: "dead", at: at(2), statusCode: 400, error: "HTTP 400" });
      await db.stores.outbox.recordOutcome(failed!, { status: "failed", at: at(2), error: "timeout", nextAttemptAt: at(500) });
      await db.stores.outbox.recordOutcome(inFlight!, { status: "failed", at: at(2), error: "timeout", nextAttemptAt: at(3) });
      await db.stores.outbox.recordOutcome(delivered!, { status: "delivered", at: at(2), statusCode: 200 });
      const [reclaimed] = await claim(at(4), 1, 60_000, clientId);
      assert.equal(reclaimed!.id, inFlight!.id);
      const ids = [...rows.map((r) => r.id), untouched.rows[0]!.id, 999_999_999];
      assert.equal(await db.stores.outbox.retry(ids, at(10)), 2);
      const after = await db.stores.outbox.list({ clientId }, 10);
      assert.deepEqual(
        after.map((r) => [r.status, r.attempts, r.nextAttemptAt?.getTime()]),
        [
          ["pending", 0, at(10).getTime()],
          ["pending", 0, at(10).getTime()],
          ["failed", 1, at(64).getTime()],
          ["delivered", 1, undefined],
        ],
      );
      assert.equal(after[0]!.lastError, "HTTP 400", "the last error stays until the next attempt");
      const [pending] = await db.stores.outbox.list({ clientId: untouched.clientId }, 10);
      assert.deepEqual([pending!.status, pending!.nextAttemptAt?.getTime()], ["pending", at(0).getTime()]);
      await db.stores.outbox.recordOutcome(reclaimed!, { status: "dead", at: at(5), error: "x" });
    });

    it("should report when the earliest row falls due, and nothing once every row is final", async () => {
      const fresh = await backend.open();
      try {
        assert.equal(await fresh.stores.outbox.nextDueAt(), undefined);
        await fresh.stores.outbox.enqueue([{ clientId: "c", subjectId: "s", reason: "expired" }], at(30));
        await fresh.stores.outbox.enqueue([{ clientId: "c", subjectId: "s", reason: "expired" }], at(20));
        assert.equal((await fresh.stores.outbox.nextDueAt())?.getTime(), at(20).getTime());
        const claimed = await fresh.stores.transaction((tx) => tx.outbox.claimDue(at(40), 10, 5000), readCommitted);
        assert.equal((await fresh.stores.outbox.nextDueAt())?.getTime(), at(45).getTime(), "leases count");
        for (const c of claimed) await fresh.stores.outbox.recordOutcome(c, { status: "delivered", at: at(41), statusCode: 200 });
        assert.equal(await fresh.stores.outbox.nextDueAt(), undefined);
      } finally {
        await fresh.drop();
      }
    });

    it("should page by filter in both directions, with a half-open creation range", async () => {
      const early = await queue(3, at(0), { subjectId: "pager" });
      const late = await queue(2, at(50), { subjectId: "pager", reason: "expired" });
      const ids = [...early.rows, ...late.rows].map((r) => r.id);
      const page = (filter: Parameters<typeof db.stores.outbox.findPage>[0], cursor: Parameters<typeof db.stores.outbox.findPage>[1], limit = 10) =>
        db.stores.outbox.findPage(filter, cursor, limit).then((rows) => rows.map((r) => r.id));
      assert.deepEqual(await page({ subjectId: "pager" }, { direction: "forward" }), ids);
      assert.deepEqual(await page({ subjectId: "pager" }, { direction: "forward", afterPk: ids[1] }, 2), ids.slice(2, 4));
      assert.deepEqual(await page({ subjectId: "pager" }, { direction: "backward", beforePk: ids[3]! }, 2), [ids[2], ids[1]]);
      assert.deepEqual(await page({ subjectId: "pager", createdFrom: at(50) }, { direction: "forward" }), ids.slice(3));
      assert.deepEqual(await page({ subjectId: "pager", createdTo: at(50) }, { direction: "forward" }), ids.slice(0, 3));
      assert.deepEqual(await page({ subjectId: "pager", clientId: late.clientId, status: "pending", sessionId: late.rows[1]!.sessionId }, { direction: "forward" }), [ids[4]]);
      assert.deepEqual(await page({ subjectId: "pager", status: "dead" }, { direction: "forward" }), []);
      assert.equal(await db.stores.outbox.existsBeyond({ subjectId: "pager" }, { direction: "forward", afterPk: ids[4] }), false);
      assert.equal(await db.stores.outbox.existsBeyond({ subjectId: "pager" }, { direction: "backward", beforePk: ids[1]! }), true);
    });

    it(
      "should let concurrent claims pass over each other's rows instead of waiting for them",
      { skip: backend.name === "sqlite" && "SQLite has one writer: claims take turns" },
      async () => {
        const { clientId, rows } = await queue(6, at(0));
        let releaseFirst!: () => void;
        const held = new Promise<void>((resolve) => (releaseFirst = resolve));
        let firstClaimed!: (claims: ClaimedNotification[]) => void;
        const claimedByFirst = new Promise<ClaimedNotification[]>((resolve) => (firstClaimed = resolve));
        const first = db.stores.transaction(async (tx) => {
          const claims = await tx.outbox.claimDue(at(1), 3, 60_000, new Set(["nobody"]));
          firstClaimed(claims);
          await held;
          return claims;
        }, readCommitted);
        const a = (await claimedByFirst).filter((c) => c.clientId === clientId);
        // While the first transaction still holds its rows locked:
        const b = (await db.stores.transaction((tx) => tx.outbox.claimDue(at(1), 1000, 60_000), readCommitted)).filter((c) => c.clientId === clientId);
        releaseFirst();
        await first;
        assert.equal(a.length + b.length, 6);
        assert.deepEqual([...a, ...b].map((c) => c.id).sort((x, y) => x - y), rows.map((r) => r.id));
      },
    );
  });
}
