import type { Comparison, RunRecord } from "./report.js";

/** One performance target checked against a run's figures. */
export interface TargetCheck {
  target: string;
  size: string;
  /** What was compared, with the figures. */
  measured: string;
  met: boolean;
}

const pagingAndFilters = ["firstPage", "nextPage90", "priorPage50", "subject", "sessionId", "displayNameSelective", "displayNameBroad", "clientPopular", "clientRare"];
// The newer filters and the newest-first order (issue 15): each page within
// 2× of the unfiltered first page, and within 2× from the smallest dataset to
// the largest.
const newerFilters = ["newestFirst", "newestNext90", "createdLastDay", "createdDayMiddle", "createdDayMiddleNewest", "createdDayMiddleNext", "renewedLastHour", "renewedLastHourOldest", "active", "expired", "expiredNewest", "issuer", "ipExact", "ipBlock"];
const duendeScenarios = ["nextPage90", "subject", "sessionId", "displayNameSelective", "displayNameBroad"];
const latencyConcurrency = 1;
const throughputConcurrency = 8;
const memoryLimitMiB = 250;

const f = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));

/**
 * Checks the targets on the run's figures: latency ratios at
 * concurrency 1 (one call at a time: what depth, size and strategy cost,
 * without queueing), throughput ratios at concurrency 8, memory over every
 * service run. A target whose figures the run lacks is left out.
 */
export function checkTargets(comparisons: readonly Comparison[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const find = (size: string, scenario: string, concurrency: number) => comparisons.find((c) => c.size === size && c.scenario === scenario && c.concurrency === concurrency);
  // A run in which no call ended has no p50 (NaN): nothing to check.
  const p50 = (r: RunRecord | undefined) => {
    const v = r?.result?.latencyMs.p50;
    return v !== undefined && Number.isFinite(v) ? v : undefined;
  };
  const sizes = [...new Set(comparisons.map((c) => c.size))];

  for (const size of sizes) {
    const first = p50(find(size, "firstPage", latencyConcurrency)?.service);
    for (const deep of ["nextPage90", "priorPage50"]) {
      const v = p50(find(size, deep, latencyConcurrency)?.service);
      if (first !== undefined && v !== undefined) {
        checks.push({ target: `depth independence: ${deep} p50 ≤ 1.5 × firstPage p50`, size, measured: `${f(v)} / ${f(first)} ms = ${(v / first).toFixed(2)}×`, met: v <= 1.5 * first });
      }
    }
    for (const scenario of newerFilters) {
      const v = p50(find(size, scenario, latencyConcurrency)?.service);
      if (first !== undefined && v !== undefined) {
        checks.push({ target: `newer filters: ${scenario} p50 ≤ 2 × firstPage p50`, size, measured: `${f(v)} / ${f(first)} ms = ${(v / first).toFixed(2)}×`, met: v <= 2 * first });
      }
    }
    for (const scenario of duendeScenarios) {
      const c = find(size, scenario, latencyConcurrency);
      const s = p50(c?.service);
      const d = p50(c?.duende);
      if (s !== undefined && d !== undefined) {
        checks.push({ target: `against Duende: ${scenario} p50 ≥ 100× faster`, size, measured: `${f(d)} / ${f(s)} ms = ${f(d / s)}×`, met: d >= 100 * s });
      }
    }
    for (const scenario of pagingAndFilters) {
      const c = find(size, scenario, throughputConcurrency);
      const s = c?.service?.result?.requestsPerSecond;
      const fl = c?.floor?.result?.requestsPerSecond;
      if (s !== undefined && fl !== undefined) {
        checks.push({ target: `overhead: ${scenario} throughput ≥ 50% of the floor's at ×${throughputConcurrency}`, size, measured: `${Math.round(s)} / ${Math.round(fl)} req/s = ${Math.round((100 * s) / fl)}%`, met: s >= 0.5 * fl });
      }
    }
    for (const concurrency of [latencyConcurrency, throughputConcurrency]) {
      const c = find(size, "removeSessions", concurrency);
      const s = p50(c?.service);
      const fl = p50(c?.floor);
      if (s !== undefined && fl !== undefined) {
        checks.push({ target: `overhead: removeSessions p50 ≤ 2 × the floor's at ×${concurrency}`, size, measured: `${f(s)} / ${f(fl)} ms = ${(s / fl).toFixed(2)}×`, met: s <= 2 * fl });
      }
    }
    const peaks = comparisons.filter((c) => c.size === size && c.service?.serverRss).map((c) => c.service!.serverRss!.peakMiB);
    if (peaks.length > 0) {
      const peak = Math.max(...peaks);
      checks.push({ target: `memory: server RSS < ${memoryLimitMiB} MB throughout`, size, measured: `peak ${Math.round(peak)} MiB (${Math.round((peak * 2 ** 20) / 1e6)} MB)`, met: peak * 2 ** 20 < memoryLimitMiB * 1e6 });
    }
  }

  if (sizes.length > 1) {
    const sessionsOf = (size: string) => comparisons.find((c) => c.size === size)?.service?.sessions ?? comparisons.find((c) => c.size === size)?.floor?.sessions ?? 0;
    const ordered = [...sizes].sort((a, b) => sessionsOf(a) - sessionsOf(b));
    const small = ordered[0]!;
    const large = ordered.at(-1)!;
    for (const scenario of [...pagingAndFilters, ...newerFilters]) {
      const a = p50(find(small, scenario, latencyConcurrency)?.service);
      const b = p50(find(large, scenario, latencyConcurrency)?.service);
      if (a !== undefined && b !== undefined) {
        checks.push({ target: `size independence: ${scenario} p50 at ${large} ≤ 2 × at ${small}`, size: `${small}→${large}`, measured: `${f(b)} / ${f(a)} ms = ${(b / a).toFixed(2)}×`, met: b <= 2 * a });
      }
    }
  }
  return checks;
}

/** The checks as a Markdown table. */
export function targetsMarkdown(checks: readonly TargetCheck[]): string {
  if (checks.length === 0) return "";
  const met = checks.filter((c) => c.met).length;
  return [
    `### Targets: ${met} of ${checks.length} met`,
    "",
    "| target | size | measured | met |",
    "| --- | --- | --- | :---: |",
    ...checks.map((c) => `| ${c.target} | ${c.size} | ${c.measured} | ${c.met ? "yes" : "**no**"} |`),
    "",
    `Latency targets compare p50 at ×${latencyConcurrency}; throughput targets compare requests per second at ×${throughputConcurrency}.`,
  ].join("\n");
}
