import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LoadResult } from "./load.js";
import type { MachineDescription } from "./machine.js";
import type { Target } from "./options.js";
import type { CpuShare } from "./cpu-usage.js";
import type { RssSummary } from "./server-process.js";

/** One scenario at one concurrency for one target on one dataset. */
export interface RunRecord {
  size: string;
  sessions: number;
  scenario: string;
  name: string;
  detail: string;
  target: Target;
  concurrency: number;
  /** Absent when the run was skipped. */
  result?: LoadResult;
  /** The server's resident set size during the run (service target only). */
  serverRss?: RssSummary;
  /** CPU milliseconds per request of the client, server and database processes over the measured run. */
  cpuMsPerRequest?: CpuShare;
  skipped?: string;
}

/** A scenario at one concurrency, all targets side by side. */
export interface Comparison {
  size: string;
  scenario: string;
  name: string;
  detail: string;
  concurrency: number;
  service?: RunRecord;
  floor?: RunRecord;
  duende?: RunRecord;
  /** Service latency over floor latency at p50 (how much the service adds to its SQL), and floor throughput over service's. */
  serviceOverFloor?: { p50: number; p99: number; throughput: number };
  /** Duende latency over service latency at p50 (how much slower Duende's strategy is), and service throughput over Duende's. */
  duendeOverService?: { p50: number; p99: number; throughput: number };
}

/** Groups runs by size, scenario and concurrency, and computes the ratios. */
export function compare(records: readonly RunRecord[]): Comparison[] {
  const groups = new Map<string, Comparison>();
  for (const r of records) {
    const key = `${r.size}|${r.scenario}|${r.concurrency}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { size: r.size, scenario: r.scenario, name: r.name, detail: r.detail, concurrency: r.concurrency }));
    group[r.target] = r;
  }
  for (const g of groups.values()) {
    const s = g.service?.result;
    const f = g.floor?.result;
    const d = g.duende?.result;
    if (s && f) g.serviceOverFloor = ratios(s, f);
    if (d && s) g.duendeOverService = ratios(d, s);
  }
  return [...groups.values()];
}

function ratios(slow: LoadResult, fast: LoadResult) {
  return {
    p50: slow.latencyMs.p50 / fast.latencyMs.p50,
    p99: slow.latencyMs.p99 / fast.latencyMs.p99,
    throughput: fast.requestsPerSecond / slow.requestsPerSecond,
  };
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? "–" : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const rps = (v: number | undefined) => (v === undefined ? "–" : v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString("en"));
const times = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "–" : `${v < 10 ? v.toFixed(2) : v.toFixed(0)}×`);

function cell(record: RunRecord | undefined, show: (r: LoadResult) => string): string {
  if (!record) return "–";
  if (record.skipped) return "n/a";
  const r = record.result!;
  return `${show(r)}${r.errors > 0 ? ` (${r.errors} err)` : ""}${r.exhausted ? " *" : ""}`;
}

const cpuMs = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? "–" : v.toFixed(2));

function cpu(record: RunRecord | undefined, withServer: boolean): string {
  const c = record?.cpuMsPerRequest;
  if (!c) return "–";
  return (withServer ? [c.client, c.server, c.database] : [c.client, c.database]).map(cpuMs).join(" / ");
}

/** The Markdown report: one table per dataset. */
export function markdown(comparisons: readonly Comparison[], machine: MachineDescription, notes: readonly string[]): string {
  const out: string[] = [];
  out.push(`Session management benchmark — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ${machine.database}${machine.bufferPoolMiB === undefined ? "" : ` (InnoDB buffer pool ${machine.bufferPoolMiB.toLocaleString("en")} MiB)`}`);
  out.push("");
  for (const size of [...new Set(comparisons.map((c) => c.size))]) {
    const rows = comparisons.filter((c) => c.size === size);
    const sessions = (rows[0]?.service ?? rows[0]?.floor ?? rows[0]?.duende)?.sessions ?? 0;
    out.push(`### ${sessions.toLocaleString("en")} sessions`);
    out.push("");
    out.push("| scenario | conc | req/s | p50 ms | p95 ms | p99 ms | server RSS MiB | floor req/s | floor p50 | floor p99 | Duende req/s | Duende p50 | Duende p99 | service/floor p50 | Duende/service p50 | service CPU ms/req client/server/db | floor CPU ms/req client/db |");
    out.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const c of rows) {
      out.push(
        `| ${c.name} (${c.detail}) | ${c.concurrency} | ${cell(c.service, (r) => rps(r.requestsPerSecond))} | ${cell(c.service, (r) => ms(r.latencyMs.p50))} | ${cell(c.service, (r) => ms(r.latencyMs.p95))} | ${cell(c.service, (r) => ms(r.latencyMs.p99))} | ` +
          `${c.service?.serverRss ? Math.round(c.service.serverRss.peakMiB) : "–"} | ` +
          `${cell(c.floor, (r) => rps(r.requestsPerSecond))} | ${cell(c.floor, (r) => ms(r.latencyMs.p50))} | ${cell(c.floor, (r) => ms(r.latencyMs.p99))} | ` +
          `${cell(c.duende, (r) => rps(r.requestsPerSecond))} | ${cell(c.duende, (r) => ms(r.latencyMs.p50))} | ${cell(c.duende, (r) => ms(r.latencyMs.p99))} | ` +
          `${times(c.serviceOverFloor?.p50)} | ${times(c.duendeOverService?.p50)} | ${cpu(c.service, true)} | ${cpu(c.floor, false)} |`,
      );
    }
    out.push("");
  }
  out.push("Latencies in ms, closed loop per worker; server RSS is the peak VmRSS of the server process during the service run.");
  out.push("service/floor: the service's p50 over the p50 of its own SQL issued directly; Duende/service: Duende's strategy's p50 over the service's.");
  out.push("CPU ms/req: CPU time of each process (the benchmark's client, the server, the database) over the measured run, per request; on a machine where they share few cores, their sum bounds the throughput.");
  out.push("n/a: no equivalent (Duende has no client filter and no comparable removal SQL; the empty call has no SQL), not run at this concurrency (Duende's strategy runs at the lowest only, unless --duende-concurrency says otherwise) or skipped; * the run used up its prepared subjects and ended early.");
  for (const note of notes) out.push(note);
  return out.join("\n");
}

/** Writes the JSON report and the Markdown tables next to it, named by the run's start time; returns the JSON file's path. */
export function writeReport(
  outDir: string,
  report: { machine: MachineDescription; options: unknown; datasets: unknown; notes: readonly string[]; runs: readonly RunRecord[]; comparisons: readonly Comparison[]; targets: unknown },
  tables: string,
): string {
  mkdirSync(outDir, { recursive: true });
  const stem = join(outDir, `bench-${report.machine.startedAt.replace(/[:.]/g, "-")}`);
  writeFileSync(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${stem}.md`, `${tables}\n\nCommand: \`${report.machine.command}\`, started ${report.machine.startedAt}.\n`);
  return `${stem}.json`;
}
