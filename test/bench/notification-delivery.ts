/**
 * Measures back-channel logout delivery through a real server process: the
 * throughput of delivering N notifications (one RemoveSessions call) to one
 * local relying party, and the time from RemoveSessions returning to the
 * relying party holding the token, one logout at a time.
 *
 *   npm run bench:notifications [-- --count 10000 --runs 200 --database-url mysql://root@127.0.0.1:3306/]
 *
 * With a server URL (no database name) a database sm_bench_notify_<random> is
 * created there and dropped afterwards; sqlite: URLs are used as given. The
 * server runs with its defaults (RS256, 64 attempts in flight, 8 per
 * destination, info logs). Prints a Markdown table; asserts nothing.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { decodeJwt } from "jose";
import mysql from "mysql2/promise";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { sessionManagementClient } from "../support/grpc-client.js";
import { startReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { startServerProcess } from "../support/server-process.js";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string", default: "mysql://root@127.0.0.1:3306/" },
    count: { type: "string", default: "10000" },
    runs: { type: "string", default: "200" },
    alg: { type: "string", default: "RS256" },
  },
});
const count = Number(values.count);
const runs = Number(values.runs);

// A throwaway database on the given MySQL server, unless a full URL was given.
let databaseUrl = values["database-url"]!;
let dropDatabase = async () => {};
const serverUrl = new URL(databaseUrl.startsWith("sqlite:") ? "sqlite:x" : databaseUrl);
if (serverUrl.protocol === "mysql:" && serverUrl.pathname.replace(/^\//, "") === "") {
  const name = `sm_bench_notify_${randomBytes(4).toString("hex")}`;
  const admin = await mysql.createConnection({ host: serverUrl.hostname, port: Number(serverUrl.port || 3306), user: decodeURIComponent(serverUrl.username) || "root", password: decodeURIComponent(serverUrl.password) });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  databaseUrl = new URL(name, databaseUrl).toString();
  dropDatabase = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  };
}

const parsed = parseDatabaseUrl(databaseUrl);
if ("error" in parsed) throw new Error(parsed.error);
const database = await openDatabase(parsed.location, { poolSize: 4, connectTimeoutMs: 5000 });
await migrate(database);
const stores = createStores(database);
const receiver = await startReceiver();
receiver.on("/logout", () => ({ status: 204 }));
await stores.clients.put({ clientId: "rp", enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: true });

const server = startServerProcess({
  DATABASE_URL: databaseUrl,
  PORT: "0",
  HTTP_PORT: "0",
  NOTIFIER_ALLOW_ADDRESSES: "127.0.0.1",
  ALLOW_HTTP_LOGOUT_URIS: "true",
  LOGOUT_TOKEN_ALG: values.alg,
  LOG_LEVEL: "info",
});
const client = sessionManagementClient(await server.port);
const arrivals = new Map<string, number>();
const timing = () => performance.timeOrigin + performance.now();
receiver.on("/logout", (_n, request) => {
  arrivals.set(String(decodeJwt(request.token!).sid), timing());
  return { status: 204 };
});

try {
  // Throughput: one call queues `count` notifications for one relying party.
  await createSessions(stores, Array.from({ length: count }, () => ({ subjectId: "bench-throughput", clientIds: ["rp"] })));
  const started = timing();
  const removed = await client.removeSessions({ subject_id: "bench-throughput" });
  const returned = timing();
  while (arrivals.size < count) await new Promise((resolve) => setTimeout(resolve, 5));
  const finished = Math.max(...arrivals.values());
  const deliveredRows = (await stores.outbox.list({ subjectId: "bench-throughput", status: "delivered" }, count + 1)).length;
  const duplicates = receiver.received.length - count;

  // Latency: one session, one client, one call at a time.
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [session] = await createSessions(stores, [{ subjectId: `bench-latency-${i}`, clientIds: ["rp"] }]);
    await client.removeSessions({ session_id: session!.sessionId });
    const back = timing();
    while (!arrivals.has(session!.sessionId!)) await new Promise((resolve) => setImmediate(resolve));
    latencies.push(arrivals.get(session!.sessionId!)! - back);
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;

  console.log(`Back-channel logout delivery, ${parsed.location.kind}, ${values.alg}, server defaults (64 in flight, 8 per destination)\n`);
  console.log("| measure | value |");
  console.log("| --- | ---: |");
  console.log(`| notifications queued by one RemoveSessions | ${removed.notifications_queued} |`);
  console.log(`| RemoveSessions call (commit of ${count} removals and outbox rows) | ${(returned - started).toFixed(0)} ms |`);
  console.log(`| from RemoveSessions returning to the last token received | ${(finished - returned).toFixed(0)} ms |`);
  console.log(`| throughput | ${((count / (finished - returned)) * 1000).toFixed(0)} notifications/s |`);
  console.log(`| rows recorded delivered / tokens received twice | ${deliveredRows} / ${duplicates} |`);
  console.log(`| RemoveSessions returned → token received, median (${runs} sequential logouts) | ${q(0.5).toFixed(1)} ms |`);
  console.log(`| same, p95 / max | ${q(0.95).toFixed(1)} / ${latencies.at(-1)!.toFixed(1)} ms |`);
} finally {
  client.close();
  server.child.kill("SIGTERM");
  await server.exited;
  await receiver.close();
  await stores.close();
  await dropDatabase();
}
