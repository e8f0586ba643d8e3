/**
 * Reproduces a burst of GetSessions calls over sessions with very large
 * tickets against a real server process, and prints the server's resident
 * memory before, during (the peak, sampled every 50 ms) and after the burst.
 *
 *   npx tsx test/bench/ticket-burst.ts [-- --sessions 30 --ticket-bytes 3900000 --walkers 4 --rounds 3
 *                                          --database-url sqlite:/tmp/x.db --root /path/to/another/checkout]
 *
 * The tickets are written straight into the database, as a database written
 * before ticket limits applied holds them. Each walker pages through the
 * subject's sessions with count_requested 100 until has_next_results is
 * false; `walkers` walk at once, `rounds` times. The client accepts messages
 * of any size, so that a server answering with one huge page is measured
 * rather than refused by the client. With `--root` the server runs from that
 * checkout (for a before/after comparison); the database is seeded with this
 * checkout's schema either way. Prints figures; asserts nothing.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { newSession } from "../support/fixtures.js";
import { sessionStoreClient, type Message } from "../support/grpc-client.js";
import { testApiKeysFile } from "../support/test-credentials.js";
import { startCommandArgs } from "../../src/cli/start-command.js";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "30" },
    "ticket-bytes": { type: "string", default: "3900000" },
    walkers: { type: "string", default: "4" },
    rounds: { type: "string", default: "3" },
    "database-url": { type: "string" },
    root: { type: "string", default: fileURLToPath(new URL("../../", import.meta.url)) },
    "settle-ms": { type: "string", default: "20000" },
  },
});
const sessionCount = Number(values.sessions);
const ticketBytes = Number(values["ticket-bytes"]);
const walkers = Number(values.walkers);
const rounds = Number(values.rounds);
const root = resolve(values.root!);

const dir = mkdtempSync(join(tmpdir(), "sm-burst-"));
const databaseUrl = values["database-url"] ?? `sqlite:${join(dir, "sessions.db")}`;
const parsed = parseDatabaseUrl(databaseUrl);
if ("error" in parsed) throw new Error(parsed.error);
const database = await openDatabase(parsed.location, { poolSize: 2, connectTimeoutMs: 5000 });
await migrate(database);
const stores = createStores(database);
const subject = `burst-${Date.now()}`;
for (let i = 0; i < sessionCount; i++) await stores.sessions.create(newSession({ subjectId: subject, ticket: Buffer.alloc(ticketBytes, i) }));
await stores.close();

// The server as `npm start` runs it (package.json's start script), from `root`.
const child = spawn(process.execPath, startCommandArgs(root), {
  cwd: root,
  env: { PATH: process.env.PATH, API_KEYS_FILE: testApiKeysFile(), DATABASE_URL: databaseUrl, PORT: "0", HTTP_PORT: "0", NOTIFIER: "false", SWEEPER: "false", LOG_LEVEL: "info" },
  stdio: ["ignore", "ignore", "pipe"],
});
let stderr = "";
const port = await new Promise<number>((resolvePort, reject) => {
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
    const line = stderr.split("\n").find((l) => l.includes('"listening'));
    if (line) resolvePort(JSON.parse(line).port);
  });
  child.on("exit", (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
});

const rssMb = () => {
  const line = readFileSync(`/proc/${child.pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"))!;
  return Math.round(Number(line.replace(/\D+/g, "")) / 1024);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const client = sessionStoreClient(port, { channelOptions: { "grpc.max_receive_message_length": -1 } });
try {
  // One small call first, so that "before" is a server that has served.
  await client.getSessions({ subject_id: "nobody" });
  await sleep(1000);
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 50);
  const pages: number[] = [];
  let largestPage = 0;
  const started = performance.now();
  const walk = async () => {
    let page: Message = await client.getSessions({ subject_id: subject, count_requested: 100 });
    let n = 1;
    largestPage = Math.max(largestPage, page.results.length);
    while (page.has_next_results) {
      page = await client.getSessions({ subject_id: subject, count_requested: 100, results_token: page.results_token });
      largestPage = Math.max(largestPage, page.results.length);
      n++;
    }
    pages.push(n);
  };
  for (let round = 0; round < rounds; round++) await Promise.all(Array.from({ length: walkers }, walk));
  const burstMs = performance.now() - started;
  clearInterval(sampler);
  const after: [number, number][] = [];
  const settleMs = Number(values["settle-ms"]);
  for (const at of [1000, 5000, settleMs]) {
    await sleep(at - (after.at(-1)?.[0] ?? 0));
    after.push([at, rssMb()]);
  }
  console.log(`server: ${root}`);
  console.log(`${sessionCount} sessions with ${ticketBytes}-byte tickets; ${walkers} walkers at once, ${rounds} rounds; ${pages[0]} page(s) per walk, at most ${largestPage} sessions per page; burst took ${Math.round(burstMs)} ms`);
  console.log("| RSS before | peak during | " + after.map(([at]) => `${at / 1000} s after`).join(" | ") + " |");
  console.log("| --- | --- | " + after.map(() => "---").join(" | ") + " |");
  console.log(`| ${before} MB | ${peak} MB | ` + after.map(([, mb]) => `${mb} MB`).join(" | ") + " |");
} finally {
  client.close();
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
