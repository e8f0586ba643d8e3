import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Comparison } from "./report.js";

/** The earlier report the CPU figures are shown next to. */
export interface EarlierRun {
  file: string;
  comparisons: Comparison[];
}

/**
 * Reads the earlier report: `file` when given, else the newest
 * bench-*.json in `outDir` (before this run writes its own); undefined
 * when there is none.
 */
export function readEarlierRun(outDir: string, file?: string): EarlierRun | undefined {
  let path = file;
  if (path === undefined) {
    let names: string[] = [];
    try {
      names = readdirSync(outDir).filter((n) => /^bench-.*\.json$/.test(n)).sort();
    } catch {
      return undefined;
    }
    if (names.length === 0) return undefined;
    path = join(outDir, names.at(-1)!);
  }
  const report = JSON.parse(readFileSync(path, "utf8")) as { comparisons?: Comparison[] };
  return { file: path, comparisons: report.comparisons ?? [] };
}

const cpu = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(3));

/** Server CPU per call of this run next to the earlier run's, per scenario, concurrency and size, with the floor's client CPU. */
export function cpuHistoryMarkdown(comparisons: readonly Comparison[], earlier: EarlierRun | undefined): string {
  const rows = comparisons.filter((c) => c.service?.cpuMsPerRequest?.server !== undefined);
  if (rows.length === 0) return "";
  const before = (c: Comparison) => earlier?.comparisons.find((e) => e.size === c.size && e.scenario === c.scenario && e.concurrency === c.concurrency);
  return [
    `### Server CPU per call, this run and ${earlier === undefined ? "no earlier run" : `the earlier one (${earlier.file.split("/").at(-1)})`}`,
    "",
    "| scenario | size | conc | server CPU ms/call | earlier | change | floor client CPU ms/call |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((c) => {
      const now = c.service!.cpuMsPerRequest!.server!;
      const then = before(c)?.service?.cpuMsPerRequest?.server;
      const change = then === undefined || !Number.isFinite(then) ? "–" : `${now <= then ? "" : "+"}${Math.round((100 * (now - then)) / then)}%`;
      return `| ${c.name} | ${c.size} | ${c.concurrency} | ${cpu(now)} | ${cpu(then)} | ${change} | ${cpu(c.floor?.cpuMsPerRequest?.client)} |`;
    }),
    "",
    "CPU time from /proc/<pid>/stat (utime + stime) over the measured run, divided by the calls completed in it.",
  ].join("\n");
}
