import assert from "node:assert/strict";
import { test } from "node:test";
import type { LoadResult } from "./suite/load.js";
import type { Comparison, RunRecord } from "./suite/report.js";
import { checkTargets, targetsMarkdown } from "./suite/targets.js";

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
