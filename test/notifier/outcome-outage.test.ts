import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { createAddressPolicy, parseAddressRanges } from "../../src/domain/special-use-address.js";
import { startDispatcher } from "../../src/notifier/dispatcher.js";
import { createLogoutPoster } from "../../src/notifier/logout-poster.js";
import type { LogoutTokenMinter } from "../../src/notifier/logout-token.js";
import type { Stores } from "../../src/store/stores.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const [, mysql] = await testBackends();
const loopback = parseAddressRanges("127.0.0.1");
if ("error" in loopback) throw new Error(loopback.error);
const allowLoopback = loopback.ranges;
// The token names the row, so the receiver can tell a second delivery of a row.
const minter: LogoutTokenMinter = { mint: async (claim) => ({ token: `row-${claim.id}` }) };
const timeoutMs = 1000;
// What the dispatcher leases a claimed row for with this timeout (3 × timeout + 5 s).
const leaseMs = 3 * timeoutMs + 5000;

describe("dispatcher: the database unreachable right after a delivery (mysql)", { skip: mysql!.skip }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  for (const outageMs of [1500, leaseMs + 3000]) {
    it(`should deliver each notification once when the outage lasts ${outageMs} ms (lease ${leaseMs} ms)`, { timeout: 120_000 }, async () => {
      const db: TestDatabase = await mysql!.open();
      cleanups.push(() => db.drop());
      const proxy: TcpProxy = await startTcpProxy("127.0.0.1", Number(new URL(db.url).port || 3306));
      cleanups.push(() => proxy.close());
      const proxied = await storesThrough(db.url, proxy.port);
      cleanups.push(() => proxied.close());
      const receiver: LogoutReceiver = await startReceiver();
      cleanups.push(() => receiver.close());
      // The first request cuts the database off before it is answered: the
      // attempts in flight reach the relying party, and their outcomes cannot
      // be written.
      let outage: Promise<void> | undefined;
      receiver.on("/rp", (n) => {
        if (n === 1) {
          void proxy.cut();
          outage = sleep(outageMs).then(() => proxy.restore());
        }
        return { status: 200, delayMs: 50 };
      });
      await db.stores.clients.put({ clientId: "rp", enabled: true, backchannelLogoutUri: receiver.url("/rp"), backchannelLogoutSessionRequired: true });
      const count = 20;
      await db.stores.outbox.enqueue(
        Array.from({ length: count }, (_, i) => ({ clientId: "rp", subjectId: `s-${i}`, sessionId: `sid-${i}`, reason: "admin_removal" as const })),
        new Date(),
      );
      const poster = createLogoutPoster({ policy: createAddressPolicy(allowLoopback), timeoutMs, maxSocketsPerDestination: 4 });
      const dispatcher = startDispatcher(
        { stores: proxied, minter, poster, logger: pino({ level: "silent" }) },
        {
          concurrency: 8,
          perDestination: 4,
          timeoutMs,
          pollMs: 100,
          schedule: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 200 },
          stopGraceMs: 2000,
        },
      );
      cleanups.push(() => dispatcher.stop());

      const rows = await eventually(
        "every row delivered",
        async () => {
          const all = await db.stores.outbox.list({ clientId: "rp" }, count + 1);
          return all.length === count && all.every((row) => row.status === "delivered") ? all : undefined;
        },
        90_000,
      );
      await outage;
      // Nothing more arrives once every row is delivered.
      await sleep(500);
      const tokens = receiver.to("/rp").map((r) => r.token!);
      const repeated = tokens.filter((token, i) => tokens.indexOf(token) !== i);
      console.log(`outage ${outageMs} ms: ${tokens.length} requests for ${count} rows, ${repeated.length} sent twice`);
      for (const row of rows.filter((r) => r.attempts !== 1 || repeated.includes(`row-${r.id}`))) console.log(JSON.stringify(row));
      assert.deepEqual(repeated, []);
      assert.deepEqual(new Set(tokens), new Set(rows.map((row) => `row-${row.id}`)));
      assert.ok(rows.every((row) => row.attempts === 1));
    });
  }
});

/** Stores on the database behind `url`, connected through a proxy on `port`. */
async function storesThrough(url: string, port: number): Promise<Stores> {
  const through = new URL(url);
  through.port = String(port);
  const parsed = parseDatabaseUrl(through.toString());
  if ("error" in parsed) throw new Error(parsed.error);
  return createStores(await openDatabase(parsed.location, { poolSize: 4, connectTimeoutMs: 1000 }));
}
