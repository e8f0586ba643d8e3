import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { closedLoop } from "./suite/load.js";

test("a run whose calls outlast its duration goes on until three calls have ended in it", async () => {
  const result = await closedLoop(() => sleep(150), { concurrency: 1, durationMs: 100, warmupMs: 50 });
  assert.equal(result.requests, 3);
  assert.ok(result.elapsedMs >= 3 * 150 - 20, `${result.elapsedMs} ms`);
  assert.ok(result.latencyMs.p50 >= 140);
});

test("a run of fast calls ends with its duration", async () => {
  const result = await closedLoop(() => sleep(5), { concurrency: 2, durationMs: 200, warmupMs: 0 });
  assert.ok(result.requests > 20, `${result.requests} calls`);
  assert.ok(result.elapsedMs < 260, `${result.elapsedMs} ms`);
});
