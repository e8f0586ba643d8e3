// Prints what tracing costs per call: QuerySessions over gRPC against SQLite,
// one call at a time and eight at once, with tracing off (the default), on
// and exporting every span over OTLP/HTTP to a sink on loopback, and on with
// a sampler that records nothing (OTEL_TRACES_SAMPLER=always_off). Each mode
// runs in its own process (a registered context manager stays for the
// process's life), modes interleaved over several rounds.
// Run: node --import tsx test/bench/tracing-overhead.ts [rounds]
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { pino } from "pino";
import type { UnaryRequest, UnaryResponse } from "@connectrpc/connect";
import { startServer } from "../../src/server/server.js";
import type { SamplerName } from "../../src/server/tracing-options.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { rpcSpansInterceptor } from "../../src/tracing/rpc-spans.js";
import { startTracing } from "../../src/tracing/start-tracing.js";
import { statementSpans } from "../../src/tracing/statement-spans.js";
import { testBackends } from "../support/backends.js";
import { sessionManagementClient } from "../support/grpc-client.js";
import { testConfig } from "../support/server.js";

type Mode = "off" | "on" | "sampled-out";
const modes: readonly Mode[] = ["off", "on", "sampled-out"];
const warmupCalls = 200;
const sequentialCalls = 400;
const concurrentCalls = 800;
interface Figures {
  mode: Mode;
  sequentialUsPerCall: number;
  concurrentCallsPerSecond: number;
  cpuUsPerCall: number;
  sdkLoaded: boolean;
  spansExported: number;
}

async function measure(mode: Mode): Promise<Figures> {
  let spansExported = 0;
  const sink = http.createServer((request, response) => {
    let bytes = "";
    request.on("data", (chunk: Buffer) => (bytes += chunk.toString("latin1")));
    request.on("end", () => {
      spansExported += bytes.split('"spanId"').length - 1;
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const sampler: SamplerName = mode === "on" ? "always_on" : "always_off";
  const tracing =
    mode === "off"
      ? undefined
      : await startTracing({
          exporter: "otlp",
          endpoint: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces`,
          headers: {},
          serviceName: "bench",
          resourceAttributes: {},
          sampler,
          samplerRatio: 1,
        });
  const [sqlite] = await testBackends();
  const db = await sqlite!.open();
  const stores = tracing ? createStores(db.database, statementSpans(tracing, db.database.engine)) : db.stores;
  const server = await startServer(testConfig({ databaseUrl: db.url }), stores, pino({ level: "silent" }), tracing);
  const client = sessionManagementClient(server.port);
  const run = async (calls: number, concurrency: number) => {
    let left = calls;
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (left-- > 0) await client.querySessions({ subject_id: "nobody" });
      }),
    );
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuUs: used.user + used.system };
  };
  await run(warmupCalls, 8);
  const sequential = await run(sequentialCalls, 1);
  const concurrent = await run(concurrentCalls, 8);
  await tracing?.flush();
  const figures: Figures = {
    mode,
    sequentialUsPerCall: (sequential.ms * 1000) / sequentialCalls,
    concurrentCallsPerSecond: (concurrentCalls * 1000) / concurrent.ms,
    cpuUsPerCall: concurrent.cpuUs / concurrentCalls,
    // The SDK's packages are CommonJS: loaded, they are in require's cache.
    sdkLoaded: Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes("@opentelemetry/sdk-trace")),
    spansExported,
  };
  client.close();
  await server.close();
  await db.drop();
  await tracing?.shutdown();
  sink.close();
  return figures;
}

/**
 * The tracing work of one call alone, without the network and the database:
 * the server span's interceptor around a handler that runs two statements,
 * each in its span, exported to the sink. CPU µs per call, the handler's own
 * (trivial) work subtracted; off, no interceptor or hook is installed at all.
 */
async function measureSpansAlone(): Promise<number> {
  const sink = http.createServer((request, response) => request.resume().on("end", () => response.end("{}")));
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const tracing = await startTracing({
    exporter: "otlp",
    endpoint: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces`,
    headers: {},
    serviceName: "bench",
    resourceAttributes: {},
    sampler: "always_on",
    samplerRatio: 1,
  });
  const statements = statementSpans(tracing, "sqlite");
  const handler = async () => {
    await statements.statement("SELECT id FROM server_side_sessions WHERE subject_id = ? LIMIT ?", async () => []);
    await statements.statement("SELECT COUNT(*) AS n FROM server_side_sessions WHERE subject_id = ?", async () => []);
    return {} as UnaryResponse;
  };
  const untraced = async () => {
    await Promise.resolve([]);
    await Promise.resolve([]);
    return {} as UnaryResponse;
  };
  const request = {
    header: new Headers({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" }),
    service: { typeName: "sessionmanagement.v1.SessionManagement" },
    method: { name: "QuerySessions" },
  } as unknown as UnaryRequest;
  const traced = rpcSpansInterceptor(tracing)(handler);
  const cpuPerCall = async (call: () => Promise<unknown>, calls: number) => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < calls; i++) await call();
    await tracing.flush();
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / calls;
  };
  await cpuPerCall(() => traced(request), 2000);
  const on = await cpuPerCall(() => traced(request), 20_000);
  const off = await cpuPerCall(untraced, 20_000);
  await tracing.shutdown();
  sink.close();
  return on - off;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (process.argv[2] === "--mode") {
  console.log(JSON.stringify(await measure(process.argv[3] as Mode)));
} else if (process.argv[2] === "--spans-alone") {
  console.log(JSON.stringify(await measureSpansAlone()));
} else {
  const rounds = Number(process.argv[2] ?? 3);
  const results: Figures[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      const out = execFileSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--mode", mode], { encoding: "utf8" });
      const figures = JSON.parse(out.trim().split("\n").at(-1)!) as Figures;
      results.push(figures);
      console.log(JSON.stringify(figures));
    }
  }
  const summary = modes.map((mode) => {
    const of = results.filter((r) => r.mode === mode);
    return {
      mode,
      sequentialUsPerCall: median(of.map((r) => r.sequentialUsPerCall)),
      concurrentCallsPerSecond: median(of.map((r) => r.concurrentCallsPerSecond)),
      cpuUsPerCall: median(of.map((r) => r.cpuUsPerCall)),
      sdkLoaded: of.some((r) => r.sdkLoaded),
      spansPerCall: median(of.map((r) => r.spansExported)) / (warmupCalls + sequentialCalls + concurrentCalls),
    };
  });
  const alone = [0, 1, 2].map(() =>
    Number(execFileSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--spans-alone"], { encoding: "utf8" }).trim().split("\n").at(-1)),
  );
  const off = summary[0]!;
  const lines = [
    "# Tracing overhead (QuerySessions over gRPC, SQLite, client and server in one process)",
    "",
    `Measured ${new Date().toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}; the machine was shared with other work, so figures are indicative. Medians of ${rounds} interleaved rounds, each mode in its own process.`,
    "",
    "| tracing | µs per call, one at a time | calls/s, 8 at once | CPU µs per call (client + server) | SDK loaded | spans per call |",
    "| --- | --- | --- | --- | --- | --- |",
    ...summary.map(
      (s) =>
        `| ${s.mode} | ${s.sequentialUsPerCall.toFixed(0)} (${signed(s.sequentialUsPerCall - off.sequentialUsPerCall)}) | ${s.concurrentCallsPerSecond.toFixed(0)} | ${s.cpuUsPerCall.toFixed(0)} (${signed(s.cpuUsPerCall - off.cpuUsPerCall)}) | ${s.sdkLoaded ? "yes" : "no"} | ${s.spansPerCall.toFixed(1)} |`,
    ),
    "",
    `The tracing work alone (server span, two statement spans and their OTLP export, no network or database; CPU per call, median of 3 processes of 20,000 calls): ${median(alone).toFixed(1)} µs per call on, 0 off (nothing is installed).`,
    "",
  ];
  console.log(lines.join("\n"));
  writeFileSync(new URL("results/tracing-overhead.md", import.meta.url), lines.join("\n"));
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : ""}${value.toFixed(0)}`;
}
