// Server CPU per call with each way of serving HTTP/2 (--http2-adapter
// stream or compat): an empty call (grpc.health.v1 Check) and a
// QuerySessions page of 25, through grpc-js over h2c, 8 calls in flight, on
// MariaDB (a separate process, so the server's own CPU is what is counted).
// Rounds alternate between the two so that a loaded machine weighs on both
// alike; compare the CPU figures, not the rates.
//
//   npm run bench:http2-adapter -- [--calls 4000] [--rounds 3] [--cpu-prof DIR]
//
// With --cpu-prof, each server writes a V8 CPU profile into DIR/<adapter>
// (read them with test/bench/profile-summary.ts).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import mysql from "mysql2/promise";
import { startCommandArgs } from "../support/start-command.js";
import { sessionManagementClient, sessionStoreClient } from "../support/grpc-client.js";
import { testApiKeysFile } from "../support/test-credentials.js";
import { cpuMs } from "./suite/cpu-usage.js";

const { values } = parseArgs({ options: { calls: { type: "string", default: "4000" }, rounds: { type: "string", default: "3" }, "cpu-prof": { type: "string" } } });
const calls = Number(values.calls);
const rounds = Number(values.rounds);
const concurrency = 8;
const database = "sm_bench_http2_adapter";
const mysqlUrl = "mysql://root@127.0.0.1:3306/";

async function startServer(adapter: string): Promise<{ pid: number; port: number; stop(): Promise<void> }> {
  const profile = values["cpu-prof"] === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}/${adapter}`];
  const child = spawn(process.execPath, [...profile, ...startCommandArgs()], {
    env: {
      PATH: process.env.PATH,
      API_KEYS_FILE: testApiKeysFile(),
      DATABASE_URL: `${mysqlUrl}${database}`,
      PAGE_TOKEN_SECRET: "a page token secret for the http2 adapter benchmark",
      PORT: "0",
      HTTP_PORT: "0",
      LOG_LEVEL: "info",
      SWEEPER: "false",
      NOTIFIER: "false",
      HTTP2_ADAPTER: adapter,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let tail = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-10_000);
      const line = tail.split("\n").find((l) => l.includes('"listening') && l.includes('"port"'));
      if (line !== undefined) resolve(JSON.parse(line).port);
    });
    void exited.then(() => reject(new Error(`the server stopped:\n${tail}`)));
  });
  return { pid: child.pid!, port, stop: async () => void (child.kill("SIGTERM"), await exited) };
}

function healthClient(port: number) {
  const proto = fileURLToPath(new URL("../../proto/grpc/health/v1/health.proto", import.meta.url));
  const definition = grpc.loadPackageDefinition(protoLoader.loadSync(proto)) as any;
  const client = new definition.grpc.health.v1.Health(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    check: () => new Promise<void>((resolve, reject) => client.check({ service: "" }, (error: unknown) => (error ? reject(error) : resolve()))),
    close: () => client.close(),
  };
}

// Server CPU milliseconds per call over `calls` calls, 8 at a time, after a warm-up.
async function cpuPerCall(pid: number, call: () => Promise<unknown>): Promise<{ cpuMs: number; perSecond: number }> {
  const run = async (count: number) => {
    let left = count;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await call();
    }));
  };
  await run(Math.min(1000, calls / 4));
  const cpuBefore = cpuMs(pid)!;
  const started = performance.now();
  await run(calls);
  const seconds = (performance.now() - started) / 1000;
  return { cpuMs: (cpuMs(pid)! - cpuBefore) / calls, perSecond: calls / seconds };
}

const admin = await mysql.createConnection(mysqlUrl);
await admin.query(`DROP DATABASE IF EXISTS ${database}`);
await admin.query(`CREATE DATABASE ${database}`);
try {
  const seeding = await startServer("compat");
  const store = sessionStoreClient(seeding.port);
  for (let i = 0; i < 60; i++) await store.createSession({ session: { key: `bench-${i}`, subject_id: `subject-${i % 7}`, display_name: `User ${i}` } });
  store.close();
  await seeding.stop();

  const results: Record<string, { empty: number[]; page: number[] }> = { compat: { empty: [], page: [] }, stream: { empty: [], page: [] } };
  for (let round = 1; round <= rounds; round++) {
    for (const adapter of ["compat", "stream"] as const) {
      const server = await startServer(adapter);
      const health = healthClient(server.port);
      const sessions = sessionManagementClient(server.port);
      const empty = await cpuPerCall(server.pid, health.check);
      const page = await cpuPerCall(server.pid, () => sessions.querySessions({ count_requested: 25 }));
      results[adapter]!.empty.push(empty.cpuMs);
      results[adapter]!.page.push(page.cpuMs);
      console.log(
        `round ${round} ${adapter.padEnd(6)}  empty call ${empty.cpuMs.toFixed(3)} ms CPU (${empty.perSecond.toFixed(0)}/s)` +
          `  QuerySessions page of 25 ${page.cpuMs.toFixed(3)} ms CPU (${page.perSecond.toFixed(0)}/s)`,
      );
      health.close();
      sessions.close();
      await server.stop();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log("\nserver CPU per call, median of rounds (ms):");
  console.log("| adapter | empty call | QuerySessions page of 25 |\n| --- | --- | --- |");
  for (const [adapter, r] of Object.entries(results)) console.log(`| ${adapter} | ${median(r.empty).toFixed(3)} | ${median(r.page).toFixed(3)} |`);
  const saved = (key: "empty" | "page") => (1 - median(results.stream![key]) / median(results.compat![key])) * 100;
  console.log(`\nstream saves ${saved("empty").toFixed(0)}% on the empty call, ${saved("page").toFixed(0)}% on the page`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.end();
}
