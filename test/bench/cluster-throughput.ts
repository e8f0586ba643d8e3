/**
 * Compares one MariaDB server with a three-node Galera cluster (started on
 * loopback by test/support/galera-cluster.ts, HAProxy in front): throughput
 * and latency of QuerySessions, RemoveSessions and SessionStore writes
 * (CreateSession), each alone for a few seconds at a fixed concurrency, then
 * the share of transactions retried after a conflict when instances on
 * different nodes remove the same subjects' sessions at once.
 *
 *   npx tsx test/bench/cluster-throughput.ts [--seconds 4] [--concurrency 8] [--out test/bench/results/cluster]
 *
 * Instances run in this process (one per node, or three behind HAProxy),
 * with the gRPC clients that load them; needs root and Debian's galera-4,
 * mariadb-server, haproxy and rsync. Prints Markdown and writes it (and
 * JSON) to --out.md/.json; asserts nothing.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import mysql from "mysql2/promise";
import { conflictCounters } from "../../src/store/typeorm/retry-conflicts.js";
import { clusterDatabaseName, startClusterInstance, type ClusterInstance } from "../support/cluster-instances.js";
import { newSession } from "../support/fixtures.js";
import { startGaleraCluster } from "../support/galera-cluster.js";
import { sessionManagementClient, sessionStoreClient } from "../support/grpc-client.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "4" },
    concurrency: { type: "string", default: "8" },
    "single-url": { type: "string", default: "mysql://root@127.0.0.1:3306/" },
    out: { type: "string", default: "test/bench/results/cluster" },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const seeded = 3000;

interface Figures {
  target: string;
  operation: string;
  calls: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  conflictRetryRate?: string;
}

const timestamp = (date: Date) => ({ seconds: String(Math.floor(date.getTime() / 1000)), nanos: 0 });

// `call(n)` from `concurrency` workers spread over the instances' ports for `seconds`.
async function measure(target: string, operation: string, ports: number[], call: (port: number, n: number) => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const before = { ...conflictCounters };
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const port = ports[worker % ports.length]!;
      while (performance.now() < end) {
        const start = performance.now();
        try {
          await call(port, next++);
          latencies.push(performance.now() - start);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  const runs = conflictCounters.runs - before.runs;
  const retried = conflictCounters.retried - before.retried;
  return {
    target,
    operation,
    calls: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
    conflictRetryRate: `${retried}/${runs} (${runs === 0 ? 0 : ((100 * retried) / runs).toFixed(1)}%)`,
  };
}

// Sessions to query and remove: `seeded` with subjects s-0…, one per subject, and shared subjects for contention.
async function seed(instance: ClusterInstance): Promise<void> {
  const sessions = [
    ...Array.from({ length: seeded }, (_, i) => newSession({ subjectId: `s-${i}`, clientIds: [], expires: new Date(Date.now() + 3_600_000) })),
    ...Array.from({ length: seeded }, (_, i) => newSession({ subjectId: `shared-${i % 300}`, clientIds: [], expires: new Date(Date.now() + 3_600_000) })),
  ];
  for (let i = 0; i < sessions.length; i += 500) {
    await instance.stores.transaction(async (tx) => {
      for (const session of sessions.slice(i, i + 500)) await tx.sessions.create(session);
    });
  }
}

async function scenario(target: string, urls: string[]): Promise<Figures[]> {
  const name = clusterDatabaseName();
  const instances: ClusterInstance[] = [];
  try {
    for (const url of urls) instances.push(await startClusterInstance(url, name));
    await seed(instances[0]!);
    const ports = instances.map((i) => i.server.port);
    const admins = new Map(ports.map((port) => [port, sessionManagementClient(port)]));
    const writers = new Map(ports.map((port) => [port, sessionStoreClient(port)]));
    const figures = [
      await measure(target, "QuerySessions (25 per page, by subject)", ports, (port, n) => admins.get(port)!.querySessions({ count_requested: 25, subject_id: `s-${n % seeded}` })),
      await measure(target, "SessionStore CreateSession", ports, (port, n) =>
        writers.get(port)!.createSession({ session: { key: `bench-${n}`, subject_id: `w-${n}`, session_id: `wsid-${n}`, expires: timestamp(new Date(Date.now() + 3_600_000)) } }),
      ),
      await measure(target, "RemoveSessions (distinct subjects)", ports, (port, n) => admins.get(port)!.removeSessions({ subject_id: `s-${n % seeded}` })),
      // Every caller removes the same subject's 10 sessions at once (through every instance), then the next subject.
      await measure(target, "RemoveSessions (all callers on one subject at a time)", ports, (port, n) =>
        admins.get(port)!.removeSessions({ subject_id: `shared-${Math.floor(n / concurrency) % 300}` }),
      ),
    ];
    for (const client of [...admins.values(), ...writers.values()]) client.close();
    return figures;
  } finally {
    for (const instance of instances) await instance.close().catch(() => undefined);
    const url = new URL(urls[0]!);
    const connection = await mysql.createConnection({ host: url.hostname, port: Number(url.port), user: "root" });
    await connection.query(`DROP DATABASE IF EXISTS ${name}`);
    await connection.end();
  }
}

const results: Figures[] = [];
results.push(...(await scenario("one server, one instance", [values["single-url"]!])));
results.push(...(await scenario("one server, three instances", [values["single-url"]!, values["single-url"]!, values["single-url"]!])));
const cluster = await startGaleraCluster();
try {
  results.push(...(await scenario("Galera, three instances pinned to three nodes", [1, 2, 3].map((n) => cluster.nodeUrl(n)))));
  results.push(...(await scenario("Galera, three instances behind HAProxy", [cluster.proxyUrl, cluster.proxyUrl, cluster.proxyUrl])));
} finally {
  await cluster.stop();
}
// Again after the cluster, to show how much the shared machine's load moved meanwhile.
results.push(...(await scenario("one server, three instances (again, after the cluster)", [values["single-url"]!, values["single-url"]!, values["single-url"]!])));

const rows = results.map((f) => `| ${f.target} | ${f.operation} | ${f.perSecond} | ${f.p50Ms} | ${f.p99Ms} | ${f.errors} | ${f.conflictRetryRate} |`);
const markdown = [
  `Measured ${new Date().toISOString()} on a ${cpus().length}-core machine (shared by the nodes, the single server, the instances and the callers; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at the end), ${seconds} s per row, ${concurrency} concurrent gRPC callers, instances and callers in one Node process. Rows run one after another: the machine's load moved between them, so compare rows measured close together.`,
  "",
  "| target | operation | calls/s | p50 ms | p99 ms | errors | conflict retries / transactions |",
  "| --- | --- | ---: | ---: | ---: | ---: | --- |",
  ...rows,
  "",
].join("\n");
console.log(markdown);
writeFileSync(`${values.out}.md`, markdown);
writeFileSync(`${values.out}.json`, JSON.stringify({ seconds, concurrency, results }, null, 2));
