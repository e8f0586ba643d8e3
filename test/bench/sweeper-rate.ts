/**
 * Measures how fast the sweeper removes expired sessions on MySQL/MariaDB:
 * fills a fresh database of its own with demo sessions that have all expired
 * (with their client links, grants and clients), then runs one or more
 * sweeper instances at once, each on its own connection pool as separate
 * servers would, revoking tokens and queueing notifications as by default.
 *
 *   npm run bench:sweeper -- [--mysql-url mysql://root@127.0.0.1:3306/] [--sessions 100000] [--batch-size 500] [--instances 1,2]
 *
 * The database (sm_bench_sweeper_<random>) is dropped at the end. Prints a
 * Markdown table; asserts nothing.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { seedDemoData } from "../../src/cli/seed.js";
import type { Database } from "../../src/store/typeorm/data-source.js";
import { adminStatement, openBenchDatabase } from "./bench-database.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { createSweeper, type SweepCounts } from "../../src/sweeper/sweeper.js";

const { values } = parseArgs({
  options: {
    "mysql-url": { type: "string", default: "mysql://root@127.0.0.1:3306/" },
    sessions: { type: "string", default: "100000" },
    "batch-size": { type: "string", default: "500" },
    instances: { type: "string", default: "1,2" },
  },
});
const serverUrl = new URL(values["mysql-url"]!);
const sessions = Number(values.sessions);
const batchSize = Number(values["batch-size"]);
const instanceCounts = values.instances!.split(",").map(Number);
const day = 86_400_000;

const admin = (statement: string) => adminStatement(serverUrl, statement);
const open = openBenchDatabase;

/** One run: a fresh database, seeded, swept by `instances` sweepers at once. */
async function run(instances: number): Promise<{ counts: SweepCounts; seconds: number }> {
  const name = `sm_bench_sweeper_${randomBytes(4).toString("hex")}`;
  const url = new URL(name, serverUrl).toString();
  await admin(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const databases: Database[] = [];
  try {
    const seedDatabase = await open(url, 5);
    databases.push(seedDatabase);
    await migrate(seedDatabase);
    // Sessions created 46 to 30 days ago with a 14-day sliding lifetime have all expired.
    await seedDemoData(seedDatabase, { sessions, seed: 1, connections: 4, batchSize: 1000, now: new Date(Date.now() - 30 * day), logoutUris: true });
    for (let i = 1; i < instances; i++) databases.push(await open(url, 4));
    const sweepers = databases.map((database) =>
      createSweeper(
        { intervalMs: 60_000, batchSize, revokeTokens: true, notify: true, grantRetentionMs: day, notificationRetentionMs: 7 * day },
        { stores: createStores(database), logger: pino({ level: "silent" }), notifier: { wake: () => undefined } },
      ),
    );
    const started = performance.now();
    const results = await Promise.all(sweepers.slice(0, instances).map((sweeper) => sweeper.sweep()));
    const seconds = (performance.now() - started) / 1000;
    const counts = results.reduce((sum, r) => ({
      sessionsRemoved: sum.sessionsRemoved + r.sessionsRemoved,
      tokensRevoked: sum.tokensRevoked + r.tokensRevoked,
      notificationsQueued: sum.notificationsQueued + r.notificationsQueued,
      grantsRemoved: sum.grantsRemoved + r.grantsRemoved,
      notificationsRemoved: sum.notificationsRemoved + r.notificationsRemoved,
      batches: sum.batches + r.batches,
    }));
    return { counts, seconds };
  } finally {
    await Promise.all(databases.map((database) => database.dataSource.destroy()));
    await admin(`DROP DATABASE IF EXISTS ${name}`);
  }
}

console.log(`Sweeper removal rate on ${serverUrl.host}: ${sessions.toLocaleString("en")} expired sessions, batches of ${batchSize}, tokens revoked and notifications queued\n`);
console.log("| instances | sessions removed | seconds | sessions/s | tokens revoked | notifications queued | stale grants removed |");
console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const instances of instanceCounts) {
  const { counts, seconds } = await run(instances);
  console.log(
    `| ${instances} | ${counts.sessionsRemoved.toLocaleString("en")} | ${seconds.toFixed(1)} | ${Math.round(counts.sessionsRemoved / seconds).toLocaleString("en")} | ${counts.tokensRevoked.toLocaleString("en")} | ${counts.notificationsQueued.toLocaleString("en")} | ${counts.grantsRemoved.toLocaleString("en")} |`,
  );
}
