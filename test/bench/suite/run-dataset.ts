import { randomBytes } from "node:crypto";
import type { Pool } from "mysql2/promise";
import { sampleSessions } from "../sample-sessions.js";
import type { Dataset } from "./datasets.js";
import { countIsCached } from "./floor.js";
import { grpcClients } from "./grpc-load.js";
import { removeIdpScratch } from "./idp-fixtures.js";
import { idpClients } from "./idp-scenarios.js";
import { writeSideScenarios } from "./cpu-targets.js";
import { cpuMeter, findDatabasePid } from "./cpu-usage.js";
import { closedLoop } from "./load.js";
import { openPool, readText, rows } from "./mysql.js";
import type { SuiteOptions } from "./options.js";
import { queryCases, requestBuilder } from "./query-cases.js";
import { removeScratchData } from "./removal-fixtures.js";
import type { RunRecord } from "./report.js";
import { scenarios as allScenarios, type ScenarioEnv } from "./scenarios.js";
import { startBenchServer } from "./server-process.js";

/**
 * Runs every chosen scenario on one dataset, at each concurrency, for each
 * target in turn (service through a server process of its own, then the
 * floor and Duende straight on MariaDB), so that only one of them loads the
 * machine at a time.
 */
export async function runDataset(dataset: Dataset, options: SuiteOptions, admin: Pool, say: (line: string) => void): Promise<RunRecord[]> {
  const pool = openPool(options.mysqlUrl, options.dbPoolSize, dataset.name);
  const records: RunRecord[] = [];
  const secret = randomBytes(32).toString("base64url");
  const server = options.targets.includes("service")
    ? await startBenchServer({ databaseUrl: dataset.url, pageTokenSecret: secret, poolSize: options.dbPoolSize, logLevel: options.serverLogLevel, migrate: dataset.writable, cpuProfDir: options.serverCpuProfDir, workers: options.serverWorkers, http2Adapter: options.serverHttp2Adapter })
    : undefined;
  try {
    const samples = await sampleSessions({ rows: (sql, params = []) => rows(pool, sql, params) }, readText);
    const cases = queryCases(samples, options.pageSize);
    const cachedCounts = new Map<string, boolean>();
    for (const c of Object.values(cases)) cachedCounts.set(c.name, await countIsCached(pool, c));
    const request = requestBuilder(secret, options.pageSize);
    const databasePid = findDatabasePid();
    const chosen = allScenarios(cases).filter((s) => options.scenarios.length === 0 || options.scenarios.includes(s.id));

    for (const scenario of chosen) {
      let observedRate = 0;
      for (const concurrency of options.concurrency) {
        for (const target of options.targets) {
          const base = { size: dataset.size.label, sessions: dataset.sessions, scenario: scenario.id, name: scenario.name, detail: scenario.detail, target, concurrency };
          if (target === "duende" && !options.duendeConcurrency.includes(concurrency)) {
            records.push({ ...base, skipped: `Duende's strategy runs at concurrency ${options.duendeConcurrency.join(", ")} only` });
            continue;
          }
          if (scenario.writes && !dataset.writable) {
            records.push({ ...base, skipped: "writes, and the suite did not create this dataset" });
            continue;
          }
          const clients = target === "service" ? grpcClients(server!.port, concurrency) : undefined;
          const idp = target === "service" ? idpClients(server!.port, concurrency) : undefined;
          try {
            const env: ScenarioEnv = { pool, clients, idp, pageSize: options.pageSize, request, cachedCounts };
            const plan = { concurrency, durationMs: options.durationMs, warmupMs: options.warmupMs, observedRate };
            const operation = await scenario.build(target, env, plan);
            if (!operation) {
              records.push({ ...base, skipped: "no equivalent" });
              continue;
            }
            const stopRss = target === "service" ? server!.sampleRss() : undefined;
            const cpu = cpuMeter({ server: target === "service" ? server!.pid : undefined, database: databasePid });
            const result = await closedLoop(operation, { ...plan, measuring: cpu });
            const serverRss = stopRss?.();
            records.push({ ...base, result, serverRss, cpuMsPerRequest: cpu.perRequest(result.requests) });
            observedRate = Math.max(observedRate, result.requestsPerSecond);
            say(
              `${dataset.size.label} ${scenario.id} ×${concurrency} ${target}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms` +
                `${result.errors ? `, ${result.errors} errors (${result.errorSamples.join("; ")})` : ""}${result.exhausted ? ", ran out of subjects" : ""}`,
            );
          } finally {
            clients?.close();
            idp?.close();
            // Each kind of write scenario removes what it created.
            if (scenario.writes && writeSideScenarios.includes(scenario.id)) await removeIdpScratch(admin, dataset.name);
            else if (scenario.writes) await removeScratchData(admin, dataset.name);
          }
        }
      }
    }
  } finally {
    await server?.stop();
    await pool.end();
  }
  return records;
}
