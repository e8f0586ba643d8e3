import assert from "node:assert/strict";
import { test } from "node:test";
import type { LoadResult } from "./suite/load.js";
import type { Comparison, RunRecord } from "./suite/report.js";
import { checkTargets, targetsMarkdown } from "./suite/targets.js";
import { checkCpuTargets } from "./suite/cpu-targets.js";

const result = (p50: number, rps: number): LoadResult => ({
  concurrency: 1,
  requests: 100,
  errors: 0,
  errorSamples: [],
  elapsedMs: 1000,
  requestsPerSecond: rps,
  latencyMs: { p50, p95: p50, p99: p50, max: p50, mean: p50 },
  exhausted: false,
});

function comparison(size: string, sessions: number, scenario: string, concurrency: number, runs: { service?: [number, number]; floor?: [number, number]; duende?: [number, number]; rss?: number }): Comparison {
  const record = (target: RunRecord["target"], [p50, rps]: [number, number]): RunRecord => ({
    size, sessions, scenario, name: scenario, detail: "", target, concurrency, result: result(p50, rps),
    ...(target === "service" && runs.rss !== undefined ? { serverRss: { peakMiB: runs.rss, meanMiB: runs.rss } } : {}),
  });
  return {
    size, scenario, name: scenario, detail: "", concurrency,
    service: runs.service && record("service", runs.service),
    floor: runs.floor && record("floor", runs.floor),
    duende: runs.duende && record("duende", runs.duende),
  };
}

test("each target is checked on its own figures, met or not", () => {
  const checks = checkTargets([
    comparison("100k", 1e5, "firstPage", 1, { service: [2, 500], rss: 150 }),
    comparison("100k", 1e5, "nextPage90", 1, { service: [2.2, 450], duende: [300, 3] }),
    comparison("10m", 1e7, "firstPage", 1, { service: [5, 200], rss: 260 }),
    comparison("10m", 1e7, "nextPage90", 1, { service: [3, 300], duende: [200, 5] }),
    comparison("10m", 1e7, "subject", 8, { service: [3, 900], floor: [1, 2000] }),
    comparison("10m", 1e7, "removeSessions", 1, { service: [3, 300], floor: [2, 400] }),
  ]);
  const verdict = (target: string, size: string) => checks.find((c) => c.target.startsWith(target) && c.size === size)?.met;
  assert.equal(verdict("depth independence: nextPage90", "100k"), true);
  assert.equal(verdict("depth independence: nextPage90", "10m"), true, "3 ms is within 1.5 × 5 ms");
  assert.equal(verdict("against Duende: nextPage90", "100k"), true, "300 / 2.2 = 136×");
  assert.equal(verdict("against Duende: nextPage90", "10m"), false, "200 / 3 = 67×");
  assert.equal(verdict("overhead: subject throughput", "10m"), false, "900 of 2000 req/s is 45%");
  assert.equal(verdict("overhead: removeSessions p50", "10m"), true, "3 / 2 = 1.5×");
  assert.equal(verdict("memory", "100k"), true);
  assert.equal(verdict("memory", "10m"), false, "260 MiB is 273 MB");
  assert.equal(verdict("size independence: firstPage", "100k→10m"), false, "5 / 2 = 2.5×");
  assert.equal(verdict("size independence: nextPage90", "100k→10m"), true, "3 / 2.2 = 1.36×");
  assert.match(targetsMarkdown(checks), /^### Targets: 6 of 10 met/);
});

test("the newer filters are held within 2× of the first page and within 2× across sizes", () => {
  const checks = checkTargets([
    comparison("100k", 1e5, "firstPage", 1, { service: [2, 500] }),
    comparison("100k", 1e5, "createdDayMiddle", 1, { service: [3, 300] }),
    comparison("100k", 1e5, "ipBlock", 1, { service: [5, 200] }),
    comparison("10m", 1e7, "firstPage", 1, { service: [2.5, 400] }),
    comparison("10m", 1e7, "createdDayMiddle", 1, { service: [4, 250] }),
    comparison("10m", 1e7, "ipBlock", 1, { service: [40, 20] }),
  ]);
  const verdict = (target: string, size: string) => checks.find((c) => c.target.startsWith(target) && c.size === size)?.met;
  assert.equal(verdict("newer filters: createdDayMiddle", "100k"), true, "3 / 2 = 1.5×");
  assert.equal(verdict("newer filters: ipBlock", "100k"), false, "5 / 2 = 2.5×");
  assert.equal(verdict("newer filters: createdDayMiddle", "10m"), true, "4 / 2.5 = 1.6×");
  assert.equal(verdict("size independence: createdDayMiddle", "100k→10m"), true, "4 / 3 = 1.33×");
  assert.equal(verdict("size independence: ipBlock", "100k→10m"), false, "40 / 5 = 8×");
});

test("server CPU per call is held to fixed bounds, and each identity-provider call to twice its floor plus an empty call", () => {
  const withCpu = (c: Comparison, server: number, floorClient?: number): Comparison => ({
    ...c,
    service: { ...c.service!, cpuMsPerRequest: { client: 1, server } },
    floor: floorClient === undefined ? undefined : { ...(c.service! as RunRecord), target: "floor", cpuMsPerRequest: { client: floorClient } },
  });
  const checks = checkCpuTargets([
    withCpu(comparison("300k", 3e5, "emptyRpc", 8, { service: [1, 100] }), 0.3),
    withCpu(comparison("300k", 3e5, "firstPage", 8, { service: [1, 100] }), 0.9),
    withCpu(comparison("300k", 3e5, "getGrant", 8, { service: [1, 100] }), 0.5, 0.1),
    withCpu(comparison("300k", 3e5, "storeGrant", 8, { service: [1, 100] }), 0.6, 0.1),
    withCpu(comparison("300k", 3e5, "createSession", 1, { service: [1, 100] }), 9, 0.1),
  ]);
  const verdict = (target: string) => checks.find((c) => c.target.includes(target))?.met;
  assert.equal(verdict("empty call"), true);
  assert.equal(verdict("firstPage"), false);
  assert.equal(verdict("getGrant"), true, "0.5 ≤ 2 × 0.1 + 0.3");
  assert.equal(verdict("storeGrant"), false, "0.6 > 0.5");
  assert.equal(verdict("createSession"), undefined, "only at concurrency 8");
});
