import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createSessionCounter } from "../../src/service/session-counter.js";
import type { SessionStore } from "../../src/store/session-store.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { createSessions } from "../support/seed-sessions.js";

const [sqlite] = await testBackends();

describe("createSessionCounter()", () => {
  let db: TestDatabase;
  let fullCounts = 0;
  let store: Pick<SessionStore, "count">;
  before(async () => {
    db = await sqlite!.open();
    await createSessions(db.stores, Array.from({ length: 12 }, (_, i) => ({ subjectId: i < 3 ? "few" : "many" })));
    // The real store, counting how often it is asked for an unbounded count.
    store = {
      count: (filter, upTo) => {
        if (upTo === undefined) fullCounts++;
        return db.stores.sessions.count(filter, upTo);
      },
    };
  });
  after(async () => {
    await db?.drop();
  });

  it("should count exactly, every time, up to the limit", async () => {
    const counter = createSessionCounter(store, { exactLimit: 5, refreshMs: 1000, maxCachedFilters: 10 });
    const before = fullCounts;
    assert.deepEqual(await counter.count({ subjectId: "few" }), { count: 3, estimate: false });
    await createSessions(db.stores, [{ subjectId: "few" }]);
    assert.deepEqual(await counter.count({ subjectId: "few" }), { count: 4, estimate: false });
    assert.equal(fullCounts, before, "a bounded count suffices");
  });

  it("should count a broad filter once, then serve it as an estimate until it is stale", async () => {
    let now = 0;
    const counter = createSessionCounter(store, { exactLimit: 5, refreshMs: 1000, maxCachedFilters: 10 }, () => now);
    const before = fullCounts;
    assert.deepEqual(await counter.count({ subjectId: "many" }), { count: 9, estimate: false });
    await createSessions(db.stores, [{ subjectId: "many" }]);
    now = 500;
    assert.deepEqual(await counter.count({ subjectId: "many" }), { count: 9, estimate: true });
    assert.equal(fullCounts, before + 1);
    now = 1500;
    // Stale: answered from the cache at once while a recount runs behind.
    assert.deepEqual(await counter.count({ subjectId: "many" }), { count: 9, estimate: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await counter.count({ subjectId: "many" }), { count: 10, estimate: true });
    assert.equal(fullCounts, before + 2);
  });

  it("should go back to exact counts when a broad filter shrinks below the limit", async () => {
    let now = 0;
    const counter = createSessionCounter(store, { exactLimit: 5, refreshMs: 1000, maxCachedFilters: 10 }, () => now);
    await createSessions(db.stores, Array.from({ length: 6 }, () => ({ subjectId: "shrinking" })));
    assert.equal((await counter.count({ subjectId: "shrinking" })).count, 6);
    await db.stores.transaction(async (tx) => {
      const sessions = await tx.sessions.findForTermination({ subjectId: "shrinking" });
      await tx.sessions.deleteByPks(sessions.slice(0, 4).map((s) => s.pk));
    });
    now = 2000;
    // Stale: the estimate at once, and a recount behind it that finds the filter no longer broad.
    assert.deepEqual(await counter.count({ subjectId: "shrinking" }), { count: 6, estimate: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await counter.count({ subjectId: "shrinking" }), { count: 2, estimate: false });
  });

  it("should count nothing on the request's path while a recount runs, and not start a second one", async () => {
    let now = 0;
    let release!: () => void;
    let calls = 0;
    const slow: Pick<SessionStore, "count"> = {
      count: async (filter, upTo) => {
        calls++;
        if (upTo === undefined && calls > 2) await new Promise<void>((resolve) => (release = resolve));
        return store.count(filter, upTo);
      },
    };
    const counter = createSessionCounter(slow, { exactLimit: 5, refreshMs: 1000, maxCachedFilters: 10 }, () => now);
    assert.equal((await counter.count({ subjectId: "many" })).estimate, false);
    assert.equal(calls, 2, "a bounded count, then the full one");
    now = 5000;
    for (let i = 0; i < 20; i++) assert.equal((await counter.count({ subjectId: "many" })).estimate, true);
    assert.equal(calls, 3, "one recount for twenty stale requests, and no bounded counts");
    release();
  });

  it("should recount no more often than four times what the last count took", async () => {
    let now = 0;
    const timed: Pick<SessionStore, "count"> = {
      count: async (filter, upTo) => {
        if (upTo === undefined) now += 3000; // a full count that takes 3 s
        return store.count(filter, upTo);
      },
    };
    const before = fullCounts;
    const counter = createSessionCounter(timed, { exactLimit: 5, refreshMs: 1000, maxCachedFilters: 10 }, () => now);
    await counter.count({ subjectId: "many" }); // counted by t = 3000, in 3 s
    now = 3000 + 11_000;
    await counter.count({ subjectId: "many" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fullCounts, before + 1, "11 s after a 3 s count is too soon");
    now = 3000 + 12_000;
    await counter.count({ subjectId: "many" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fullCounts, before + 2);
  });

  it("should keep at most the configured number of cached filters, dropping the least recently used", async () => {
    await createSessions(db.stores, [{ subjectId: "lru-a" }, { subjectId: "lru-b" }, { subjectId: "lru-c" }]);
    const counter = createSessionCounter(store, { exactLimit: 0, refreshMs: 60_000, maxCachedFilters: 2 });
    const before = fullCounts;
    // a, b counted; a served from cache; c evicts b (least recently used); a still cached; b counted again.
    for (const subjectId of ["lru-a", "lru-b", "lru-a", "lru-c", "lru-a", "lru-b"]) await counter.count({ subjectId });
    assert.equal(fullCounts, before + 4);
  });

  it("should report a failed first count to the caller", async () => {
    const failing = { count: async () => Promise.reject(new Error("database down")) };
    const counter = createSessionCounter(failing, { exactLimit: 5, refreshMs: 1000, maxCachedFilters: 10 });
    await assert.rejects(counter.count({}), /database down/);
  });
});
