/**
 * Measures bulk termination jobs on MySQL/MariaDB: fills a fresh database of
 * its own with demo sessions (clients with back-channel logout URIs, grants;
 * `--client-share` of the sessions, 30% by default, signed in to the most used
 * client, rp-1: 300,000 of a million), previews and runs a job that ends every
 * session of that client, then one that ends everyone, each through the real job runner (batches of
 * the RemoveSessions transaction, tokens revoked, notifications queued), while
 * another caller reads session pages. Reports sessions terminated per
 * second, preview time, this process's memory (it is the server running the
 * job), and the other caller's page latency idle and during the job. Checks
 * that every notification was queued exactly once.
 *
 *   npm run bench:bulk -- [--mysql-url mysql://root@127.0.0.1:3306/] [--sessions 200000] [--client-share 0.3] [--batch-size 500] [--rate 100000] [--out file.md]
 *
 * The database (sm_bench_bulk_<random>) is dropped at the end. Asserts nothing.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import { pino } from "pino";
import { PreviewTerminationRequestSchema } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { seedDemoData } from "../../src/cli/seed.js";
import { newJobId } from "../../src/domain/job-id.js";
import type { TerminationJob } from "../../src/domain/termination-job.js";
import { createTerminationRunner } from "../../src/jobs/termination-runner.js";
import { createSessionCounter } from "../../src/service/session-counter.js";
import { countMatching, createPreviewTermination } from "../../src/service/termination-preview.js";
import type { Database } from "../../src/store/typeorm/data-source.js";
import { adminStatement, openBenchDatabase } from "./bench-database.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import type { Stores } from "../../src/store/stores.js";
import { sessionFilterOf } from "../../src/service/job-filter.js";

const { values } = parseArgs({
  options: {
    "mysql-url": { type: "string", default: "mysql://root@127.0.0.1:3306/" },
    sessions: { type: "string", default: "200000" },
    "batch-size": { type: "string", default: "500" },
    rate: { type: "string", default: "100000" },
    "client-share": { type: "string", default: "0.3" },
    out: { type: "string" },
  },
});
const serverUrl = new URL(values["mysql-url"]!);
const sessions = Number(values.sessions);
const batchSize = Number(values["batch-size"]);
const rate = Number(values.rate);
const clientShare = Number(values["client-share"]);

const admin = (statement: string) => adminStatement(serverUrl, statement);
const open = openBenchDatabase;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** Another caller: QuerySessions-sized keyset pages by subject and from the start, back to back, until stopped. */
function otherCaller(stores: Stores, subjects: string[]) {
  const latencies: number[] = [];
  let stop = false;
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      const started = performance.now();
      await stores.sessions.findPage(i % 2 === 0 ? { subjectId: subjects[i % subjects.length] } : {}, { direction: "forward" }, 26);
      latencies.push(performance.now() - started);
    }
  })();
  return {
    async stop() {
      stop = true;
      await done;
      const sorted = [...latencies].sort((a, b) => a - b);
      return { calls: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
    },
  };
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
const name = `sm_bench_bulk_${randomBytes(4).toString("hex")}`;
const url = new URL(name, serverUrl).toString();
await admin(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};
const databases: Database[] = [];
try {
  const database = await open(url, 10);
  databases.push(database);
  await migrate(database);
  const seeding = performance.now();
  await seedDemoData(database, { sessions, seed: 1, connections: 4, batchSize: 1000, logoutUris: true, firstClientShare: clientShare });
  const seedSeconds = (performance.now() - seeding) / 1000;
  const stores = createStores(database);
  const readerDatabase = await open(url, 4);
  databases.push(readerDatabase);
  const reader = createStores(readerDatabase);
  const subjectRows = (await database.dataSource.query("SELECT subject_id FROM server_side_sessions ORDER BY id DESC LIMIT 200")) as { subject_id: unknown }[];
  const subjects = subjectRows.map((r) => database.dialect.readText(r.subject_id));
  const [popular] = (await database.dataSource.query(
    "SELECT client_id, COUNT(*) AS n FROM session_clients GROUP BY client_id ORDER BY n DESC LIMIT 1",
  )) as { client_id: unknown; n: unknown }[];
  const clientId = database.dialect.readText(popular!.client_id);
  const counter = createSessionCounter(stores.sessions, { exactLimit: 10_000, refreshMs: 5000, maxCachedFilters: 100 });
  const previewDeps = { stores, counter, exactBound: 10_000, sampleSize: 1000 };
  const preview = createPreviewTermination(previewDeps);
  const runner = createTerminationRunner(
    { pollMs: 20, batchSize, leaseMs: 30_000, maxFailures: 5 },
    { stores, logger: pino({ level: "silent" }), notifier: { wake: () => undefined } },
  );

  const [server] = (await database.dataSource.query("SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool")) as { version: unknown; pool: unknown }[];
  say(`# Bulk termination on MariaDB (${serverUrl.host})`);
  say("");
  say(`${sessions.toLocaleString("en")} demo sessions seeded in ${seedSeconds.toFixed(0)} s, ${Number(popular!.n).toLocaleString("en")} of them signed in to ${clientId}; batches of ${batchSize}, rate limit ${rate.toLocaleString("en")}/s; tokens revoked, consents revoked and notifications queued for every session x notifiable client. The database, the server and the other caller share this machine's cores. Database ${String(server!.version)}, InnoDB buffer pool ${mib(Number(server!.pool))}.`);
  say("");
  say("| scenario | preview ms (cold, warm) | preview sessions / notifications (estimate?) | job sessions | seconds | sessions/s | tokens | consents | notifications queued | outbox rows added | duplicates | RSS before / peak | other caller p50 / p95 ms idle | during job |");
  say("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |");

  for (const [label, filterMessage] of [
    [`every session of client ${clientId}`, { clientId }],
    ["everyone", { allSessions: true }],
  ] as const) {
    const request = create(PreviewTerminationRequestSchema, { filter: filterMessage });
    let started = performance.now();
    const forecast = await preview(request);
    const coldMs = performance.now() - started;
    started = performance.now();
    await preview(request);
    const warmMs = performance.now() - started;

    const idle = otherCaller(reader, subjects);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idleLatency = await idle.stop();

    const filter = sessionFilterOf(create(PreviewTerminationRequestSchema, { filter: filterMessage }).filter, true);
    const expected = await countMatching(previewDeps, filter);
    const outboxBefore = Number(((await database.dataSource.query("SELECT COUNT(*) AS n FROM logout_notifications")) as { n: unknown }[])[0]!.n);
    const now = new Date();
    const { job } = await stores.jobs.create({
      id: newJobId(now),
      idempotencyKey: `bench-${label}`,
      createdBy: "bench",
      created: now,
      definition: {
        filter: "clientId" in filterMessage ? { clientId } : { allSessions: true },
        actions: { removeServerSideSession: true, revokeTokens: true, revokeConsents: true, sendBackchannelLogoutNotification: true },
        includeNewSessions: false,
        sessionsPerSecond: rate,
        reason: "benchmark",
        lastPk: await stores.sessions.newestPk(),
        expectedSessions: expected.sessions,
        expectedIsEstimate: expected.isEstimate,
      },
    });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
    const busy = otherCaller(reader, subjects);
    started = performance.now();
    runner.start();
    runner.wake();
    let ended: TerminationJob | undefined;
    while (ended === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const current = (await stores.jobs.get(job.id))!;
      if (current.state !== "pending" && current.state !== "running") ended = current;
    }
    const seconds = (performance.now() - started) / 1000;
    const busyLatency = await busy.stop();
    clearInterval(sampler);
    const outboxAfter = Number(((await database.dataSource.query("SELECT COUNT(*) AS n FROM logout_notifications")) as { n: unknown }[])[0]!.n);
    const duplicates = ((await database.dataSource.query(
      "SELECT session_id, client_id FROM logout_notifications GROUP BY session_id, client_id HAVING COUNT(*) > 1",
    )) as unknown[]).length;
    const p = ended.progress;
    say(
      `| ${label} | ${coldMs.toFixed(0)}, ${warmMs.toFixed(0)} | ${forecast.total!.sessions.toLocaleString("en")} / ${forecast.total!.notifications.toLocaleString("en")} (${forecast.isEstimate ? "estimate" : "exact"}) | ${p.sessions.toLocaleString("en")} | ${seconds.toFixed(1)} | ${Math.round(p.sessions / seconds).toLocaleString("en")} | ${p.tokens.toLocaleString("en")} | ${p.consents.toLocaleString("en")} | ${p.notifications.toLocaleString("en")} | ${(outboxAfter - outboxBefore).toLocaleString("en")} | ${duplicates} | ${mib(rssBefore)} / ${mib(rssPeak)} | ${idleLatency.p50.toFixed(1)} / ${idleLatency.p95.toFixed(1)} (${idleLatency.calls} calls) | ${busyLatency.p50.toFixed(1)} / ${busyLatency.p95.toFixed(1)} (${busyLatency.calls} calls) |`,
    );
  }
  await runner.stop();
} finally {
  await Promise.all(databases.map((database) => database.dataSource.destroy()));
  await admin(`DROP DATABASE IF EXISTS ${name}`);
}
if (values.out !== undefined) writeFileSync(values.out, `${lines.join("\n")}\n`);
