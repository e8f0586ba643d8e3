/**
 * Where a termination job's batch spends its time, statement by statement,
 * on MySQL/MariaDB: seeds a fresh database of its own with demo sessions,
 * then runs batches of a job for the most used client and of a job for
 * everyone at several batch sizes, timing every statement the batch sends
 * (from the moment it is sent until its answer is read) and the whole batch
 * (the rest is BEGIN, COMMIT and the server's own code). Prints a table per
 * scenario and batch size: statements of each kind per batch and their
 * milliseconds per batch, and the index entries the server read and changed
 * per session (its Handler counters on the one connection the batches use),
 * which, unlike times, do not depend on what else the machine is doing.
 *
 *   npm run bench:bulk-statements -- [--mysql-url mysql://root@127.0.0.1:3306/] [--sessions 100000] [--sizes 500,1000,2000] [--batches 5] [--analyze]
 *
 * Right after seeding, the tables' statistics are those of nearly empty
 * tables (as after any bulk load); --analyze updates them first.
 *
 * The database (sm_bench_stmt_<random>) is dropped at the end. Asserts nothing.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { seedDemoData } from "../../src/cli/seed.js";
import { newJobId } from "../../src/domain/job-id.js";
import type { TerminationJob } from "../../src/domain/termination-job.js";
import { runTerminationBatch } from "../../src/jobs/termination-batch.js";
import type { StatementTracing } from "../../src/store/statement-tracing.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { adminStatement, openBenchDatabase } from "./bench-database.js";

const { values } = parseArgs({
  options: {
    "mysql-url": { type: "string", default: "mysql://root@127.0.0.1:3306/" },
    sessions: { type: "string", default: "100000" },
    sizes: { type: "string", default: "500,1000,2000" },
    batches: { type: "string", default: "5" },
    // Brings the table statistics up to date after seeding, as a database that has settled has them.
    analyze: { type: "boolean", default: false },
  },
});
const serverUrl = new URL(values["mysql-url"]!);
const sizes = values.sizes!.split(",").map(Number);
const batchesPerSize = Number(values.batches);

// A statement's kind: its text with every list of placeholders folded.
const kindOf = (sql: string) =>
  sql
    .replace(/\((\?, )*\?\)(, \((\?, )*\?\))+/g, "(…), …")
    .replace(/(\?, )+\?/g, "…")
    .slice(0, 110);

const timings = new Map<string, { count: number; ms: number }>();
const tracing: StatementTracing = {
  async statement(sql, run) {
    const started = performance.now();
    try {
      return await run();
    } finally {
      const entry = timings.get(kindOf(sql)) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += performance.now() - started;
      timings.set(kindOf(sql), entry);
    }
  },
  traceparent: () => undefined,
};

const name = `sm_bench_stmt_${randomBytes(4).toString("hex")}`;
await adminStatement(serverUrl, `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
const database = await openBenchDatabase(new URL(name, serverUrl).toString(), 4);
try {
  await migrate(database);
  await seedDemoData(database, { sessions: Number(values.sessions), seed: 1, connections: 2, batchSize: 1000, logoutUris: true });
  if (values.analyze) await database.dataSource.query("ANALYZE TABLE server_side_sessions, session_clients, persisted_grants, logout_notifications, clients");
  const [pool] = (await database.dataSource.query("SELECT @@innodb_buffer_pool_size AS size")) as { size: unknown }[];
  console.log(`${Number(values.sessions).toLocaleString("en")} sessions${values.analyze ? ", statistics analyzed" : ""}; InnoDB buffer pool ${Math.round(Number(pool!.size) / 2 ** 20)} MiB`);
  // One connection, so that its session counters are the batches' own.
  const single = await openBenchDatabase(new URL(name, serverUrl).toString(), 1);
  const handlers = async () => {
    const rows = (await single.dataSource.query("SHOW SESSION STATUS LIKE 'Handler%'")) as { Variable_name: string; Value: string }[];
    const value = (names: string[]) => rows.filter((r) => names.includes(r.Variable_name)).reduce((sum, r) => sum + Number(r.Value), 0);
    return {
      read: value(["Handler_read_first", "Handler_read_key", "Handler_read_last", "Handler_read_next", "Handler_read_prev", "Handler_read_rnd", "Handler_read_rnd_next"]),
      changed: value(["Handler_write", "Handler_delete", "Handler_update"]),
    };
  };
  const stores = createStores(single, tracing);
  const plain = createStores(database);
  const [popular] = (await database.dataSource.query(
    "SELECT client_id, COUNT(*) AS n FROM session_clients GROUP BY client_id ORDER BY n DESC LIMIT 1",
  )) as { client_id: unknown }[];
  const clientId = database.dialect.readText(popular!.client_id);
  for (const [label, filter] of [
    [`client ${clientId}`, { clientId }],
    ["everyone", { allSessions: true }],
  ] as const) {
    const now = new Date();
    let { job } = await plain.jobs.create({
      id: newJobId(now),
      idempotencyKey: `statements-${label}`,
      createdBy: "bench",
      created: now,
      definition: {
        filter,
        actions: { removeServerSideSession: true, revokeTokens: true, revokeConsents: true, sendBackchannelLogoutNotification: true },
        includeNewSessions: false,
        sessionsPerSecond: 100_000,
        reason: "statements",
        lastPk: await plain.sessions.newestPk(),
        expectedSessions: 0,
        expectedIsEstimate: true,
      },
    });
    await plain.jobs.claim(job.id, "bench", new Date(), new Date(Date.now() + 60_000));
    job = (await plain.jobs.get(job.id))!;
    for (const size of sizes) {
      timings.clear();
      let batchMs = 0;
      let sessions = 0;
      let notifications = 0;
      const handlersBefore = await handlers();
      for (let i = 0; i < batchesPerSize; i++) {
        const started = performance.now();
        const result = await runTerminationBatch(stores, job, "bench", size, new Date(), new Date(Date.now() + 60_000));
        batchMs += performance.now() - started;
        sessions += result.counts.sessions;
        notifications += result.counts.notifications;
        job = { ...job, cursorPk: result.cursorPk, progress: job.progress } as TerminationJob;
      }
      const handlersAfter = await handlers();
      const perBatch = (ms: number) => (ms / batchesPerSize).toFixed(1);
      const statementMs = [...timings.values()].reduce((sum, t) => sum + t.ms, 0);
      console.log(`\n## ${label}, batches of ${size}: ${perBatch(batchMs)} ms per batch, ${Math.round((sessions * 1000) / batchMs)} sessions/s, ${(notifications / sessions).toFixed(2)} notifications per session; rows read ${((handlersAfter.read - handlersBefore.read) / sessions).toFixed(1)} and changed ${((handlersAfter.changed - handlersBefore.changed) / sessions).toFixed(1)} per session (server counters)`);
      console.log("| statement | per batch | ms per batch |");
      console.log("| --- | ---: | ---: |");
      for (const [kind, t] of [...timings].sort((a, b) => b[1].ms - a[1].ms)) {
        console.log(`| \`${kind}\` | ${(t.count / batchesPerSize).toFixed(1)} | ${perBatch(t.ms)} |`);
      }
      console.log(`| BEGIN, COMMIT, the service's own code | | ${perBatch(batchMs - statementMs)} |`);
    }
  }
  await single.dataSource.destroy();
} finally {
  await database.dataSource.destroy();
  await adminStatement(serverUrl, `DROP DATABASE IF EXISTS ${name}`);
}
