import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { createAddressPolicy, parseAddressRanges } from "../../src/domain/special-use-address.js";
import { startDispatcher, outcomeWriteMs, type Dispatcher } from "../../src/notifier/dispatcher.js";
import type { ResolveAll } from "../../src/notifier/guarded-lookup.js";
import { createLogoutPoster } from "../../src/notifier/logout-poster.js";
import type { LogoutTokenMinter } from "../../src/notifier/logout-token.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";

const loopback = parseAddressRanges("127.0.0.1");
if ("error" in loopback) throw new Error(loopback.error);
const allowLoopback = loopback.ranges;

// The token names the row, so a receiver can tell a second delivery of a row.
const minter: LogoutTokenMinter = { mint: async (claim) => ({ token: `row-${claim.id}` }) };

/** A dispatcher on `db`, delivering to loopback through the real poster. */
function dispatcher(db: TestDatabase, options: { concurrency?: number; perDestination?: number; timeoutMs?: number; resolve?: ResolveAll } = {}): Dispatcher {
  const timeoutMs = options.timeoutMs ?? 5000;
  const poster = createLogoutPoster({
    policy: createAddressPolicy(allowLoopback),
    timeoutMs,
    maxSocketsPerDestination: options.perDestination ?? 8,
    resolve: options.resolve,
  });
  return startDispatcher(
    { stores: db.stores, minter, poster, logger: pino({ level: "silent" }) },
    {
      concurrency: options.concurrency ?? 64,
      perDestination: options.perDestination ?? 8,
      timeoutMs,
      pollMs: 100,
      schedule: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      stopGraceMs: 10_000,
    },
  );
}

async function queue(db: TestDatabase, clientId: string, count: number): Promise<void> {
  const planned = Array.from({ length: count }, (_, i) => ({ clientId, subjectId: `subject-${i}`, sessionId: `sid-${i}`, reason: "admin_removal" as const }));
  await db.stores.outbox.enqueue(planned, new Date());
}

const [sqlite] = await testBackends();

describe("dispatcher: bursts and stopping", () => {
  let db: TestDatabase;
  let receiver: LogoutReceiver;
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("should deliver a burst of 200 notifications without a MaxListenersExceededWarning", async () => {
    db = await sqlite!.open();
    cleanups.push(() => db.drop());
    receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    // Answers slowly, so that many requests are in flight at once.
    receiver.on("/burst", () => ({ status: 200, delayMs: 100 }));
    await db.stores.clients.put({ clientId: "burst", enabled: true, backchannelLogoutUri: receiver.url("/burst"), backchannelLogoutSessionRequired: true });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      await queue(db, "burst", 200);
      const running = dispatcher(db, { concurrency: 64, perDestination: 32 });
      await receiver.waitFor(200, (r) => r.path === "/burst", 60_000);
      await running.stop();
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    assert.ok(receiver.maxOpen() > 10, `${receiver.maxOpen()} requests were open at once: more than ten must be, for the check to mean anything`);
    const maxListeners = warnings.filter((w) => w.name === "MaxListenersExceededWarning");
    assert.deepEqual(maxListeners.map((w) => w.message), []);
    const rows = await db.stores.outbox.list({ clientId: "burst" }, 300);
    assert.equal(rows.filter((row) => row.status === "delivered").length, 200);
  });

  it("should abort attempts whose host name never resolves at the end of the grace period, recording them as failed attempts to retry", async () => {
    const lookups: string[] = [];
    // A resolver that never answers, as with an unreachable DNS server.
    const resolve: ResolveAll = (hostname) => void lookups.push(hostname);
    await db.stores.clients.put({ clientId: "unresolvable", enabled: true, backchannelLogoutUri: "https://rp.unresolvable.example/logout", backchannelLogoutSessionRequired: true });
    await queue(db, "unresolvable", 3);
    const running = dispatcher(db, { resolve, timeoutMs: 60_000 });
    await eventually("three attempts under way", () => (running.pending().attempts === 3 ? true : undefined));
    // One system lookup serves every attempt waiting for the same name.
    assert.deepEqual(lookups, ["rp.unresolvable.example"]);
    const graceMs = 300;
    const started = Date.now();
    await running.stop(graceMs);
    const tookMs = Date.now() - started;
    assert.ok(tookMs < graceMs + outcomeWriteMs + 5000, `stop took ${tookMs} ms`);
    assert.deepEqual(running.pending(), { attempts: 0, unwrittenOutcomes: 0 });
    const rows = await db.stores.outbox.list({ clientId: "unresolvable" }, 10);
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.equal(row.status, "failed");
      assert.equal(row.attempts, 1);
      assert.match(row.lastError ?? "", /abandoned: the server stopped/);
      assert.ok(row.nextAttemptAt !== undefined && row.nextAttemptAt.getTime() <= Date.now(), "due again at once");
    }
  });

  it("should stop at once when nothing is in flight", async () => {
    const running = dispatcher(db);
    const started = Date.now();
    await running.stop(60_000);
    assert.ok(Date.now() - started < 10_000);
  });
});
