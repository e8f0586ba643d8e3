import type { Comparison, RunRecord } from "./report.js";
import type { TargetCheck } from "./targets.js";

/** The identity provider's calls, each held to twice its floor's client CPU plus what an empty call costs. */
export const writeSideScenarios = ["createSession", "updateSession", "getSession", "storeGrant", "getGrant", "consumeGrant", "removeGrantsBySession"];

// Server CPU per call, in ms: where the issue measured 0.55 and 1.25, halved.
const emptyCallMaxMs = 0.35;
const firstPageMaxMs = 0.7;
const cpuConcurrency = 8;

const serverCpu = (r: RunRecord | undefined) => {
  const v = r?.cpuMsPerRequest?.server;
  return v !== undefined && Number.isFinite(v) ? v : undefined;
};
const clientCpu = (r: RunRecord | undefined) => {
  const v = r?.cpuMsPerRequest?.client;
  return v !== undefined && Number.isFinite(v) ? v : undefined;
};

/**
 * The server's CPU per call, at concurrency 8 (read from /proc over the
 * measured run): the empty call and a QuerySessions first page under fixed
 * bounds, and each identity-provider call under 2 × the CPU its floor's
 * client spends on the same statements plus the empty call's (what any RPC
 * costs). A target whose figures the run lacks is left out.
 */
export function checkCpuTargets(comparisons: readonly Comparison[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const find = (size: string, scenario: string) => comparisons.find((c) => c.size === size && c.scenario === scenario && c.concurrency === cpuConcurrency);
  for (const size of [...new Set(comparisons.map((c) => c.size))]) {
    const empty = serverCpu(find(size, "emptyRpc")?.service);
    if (empty !== undefined) checks.push({ target: `CPU: empty call ≤ ${emptyCallMaxMs} ms of server CPU at ×${cpuConcurrency}`, size, measured: `${empty.toFixed(3)} ms`, met: empty <= emptyCallMaxMs });
    const first = serverCpu(find(size, "firstPage")?.service);
    if (first !== undefined) checks.push({ target: `CPU: firstPage ≤ ${firstPageMaxMs} ms of server CPU at ×${cpuConcurrency}`, size, measured: `${first.toFixed(3)} ms`, met: first <= firstPageMaxMs });
    for (const scenario of writeSideScenarios) {
      const c = find(size, scenario);
      const s = serverCpu(c?.service);
      const f = clientCpu(c?.floor);
      if (s === undefined || f === undefined || empty === undefined) continue;
      const bound = 2 * f + empty;
      checks.push({
        target: `CPU: ${scenario} ≤ 2 × floor client CPU + empty call at ×${cpuConcurrency}`,
        size,
        measured: `${s.toFixed(3)} ms ≤ 2 × ${f.toFixed(3)} + ${empty.toFixed(3)} = ${bound.toFixed(3)} ms`,
        met: s <= bound,
      });
    }
  }
  return checks;
}
