/**
 * Measures QuerySessions latency through a real server process and a
 * @grpc/grpc-js client over loopback: the first page, a next page deep in the
 * walk, a prior page in the middle, and each filter, one call at a time.
 *
 *   npm run bench:pages -- --database-url mysql://root@127.0.0.1:3306/sm_bench_1m [--runs 300] [--size 25]
 *
 * Fill the database first (npm run seed -- --sessions 1000000 …). Prints a
 * Markdown table; asserts nothing.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createPageTokenCodec } from "../../src/domain/page-token.js";
import { parseSessionFilter, sessionFilterKey } from "../../src/domain/session-filter.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { runnerExecutor } from "../../src/store/typeorm/sql-executor.js";
import { testApiKeysFile } from "../support/test-credentials.js";
import { sessionManagementClient, type Message } from "../support/grpc-client.js";
import { sampleSessions } from "./sample-sessions.js";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    runs: { type: "string", default: "300" },
    size: { type: "string", default: "25" },
  },
});
const databaseUrl = values["database-url"] ?? process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("--database-url is required");
const runs = Number(values.runs);
const size = Number(values.size);
const secret = randomBytes(32).toString("base64url");

// Real filter values and positions from the database.
const parsed = parseDatabaseUrl(databaseUrl);
if ("error" in parsed) throw new Error(parsed.error);
const database = await openDatabase(parsed.location, { poolSize: 1, connectTimeoutMs: 5000 });
const runner = database.dataSource.createQueryRunner();
const samples = await sampleSessions(runnerExecutor(runner, database), database.dialect.readText);
await runner.release();
await database.dataSource.destroy();
const { total, middle, deep, popularClient, rareClient } = samples;

const name = middle.displayName;
const filters: Record<string, Record<string, string>> = {
  "subject id": { subjectId: middle.subjectId },
  "session id": { sessionId: middle.sessionId },
  [`display name "${name}"`]: { displayName: name },
  [`display name "${name[0]}"`]: { displayName: name[0]! },
  [`client ${popularClient.clientId} (${popularClient.sessions} sessions)`]: { clientId: popularClient.clientId },
  [`client ${rareClient.clientId} (${rareClient.sessions} sessions)`]: { clientId: rareClient.clientId },
};

// A token for the page that ends just before (or starts just after) a session.
const codec = createPageTokenCodec(Buffer.from(secret));
const tokenAt = (pk: number, page: number) =>
  codec.encode({ firstPk: pk, lastPk: pk, page }, `${sessionFilterKey(parseSessionFilter({ subjectId: "", sessionId: "", displayName: "", clientId: "" }))}|${size}`);

const server = spawn(
  process.execPath,
  ["--import", "tsx", fileURLToPath(new URL("../../src/cli/serve.ts", import.meta.url)), "--port", "0"],
  { env: { ...process.env, DATABASE_URL: databaseUrl, PAGE_TOKEN_SECRET: secret, LOG_LEVEL: "info", API_KEYS_FILE: testApiKeysFile() }, stdio: ["ignore", "ignore", "pipe"] },
);
const port = await new Promise<number>((resolve, reject) => {
  let buffered = "";
  server.stderr!.on("data", (chunk) => {
    buffered += chunk;
    const line = buffered.split("\n").find((l) => l.includes('"listening'));
    if (line) resolve(JSON.parse(line).port);
  });
  server.on("exit", (code) => reject(new Error(`server exited with ${code}: ${buffered}`)));
});
const client = sessionManagementClient(port);

async function measure(request: Message): Promise<{ p50: number; p95: number; p99: number; results: number; total: number; estimate: boolean }> {
  let last: Message = {};
  for (let i = 0; i < Math.min(20, runs); i++) last = await client.querySessions(request);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    last = await client.querySessions(request);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), results: last.results.length, total: Number(last.total_count), estimate: last.total_count_is_estimate };
}

const scenarios: [string, Message][] = [
  ["first page", { count_requested: size }],
  [`next page at 90% depth (page ${Math.floor((total * 0.9) / size) + 1})`, { count_requested: size, results_token: tokenAt(deep.pk, Math.floor((total * 0.9) / size)) }],
  [`prior page at 50% depth (page ${Math.floor((total * 0.5) / size)})`, { count_requested: size, request_prior_results: true, results_token: tokenAt(middle.pk, Math.floor((total * 0.5) / size) + 1) }],
  ...Object.entries(filters).map(([label, filter]): [string, Message] => [`first page, ${label}`, { count_requested: size, subject_id: filter.subjectId, session_id: filter.sessionId, display_name: filter.displayName, client_id: filter.clientId }]),
];

console.log(`QuerySessions latency, ${total.toLocaleString("en")} sessions, page size ${size}, ${runs} sequential calls each (grpc-js over loopback)\n`);
console.log("| scenario | p50 ms | p95 ms | p99 ms | results | total_count |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
try {
  for (const [label, request] of scenarios) {
    const r = await measure(request);
    console.log(`| ${label} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.results} | ${r.total.toLocaleString("en")}${r.estimate ? " (estimate)" : ""} |`);
  }
} finally {
  client.close();
  server.kill("SIGTERM");
}
