import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextRetryDelayMs, type RetrySchedule } from "../../src/domain/retry-schedule.js";

const schedule: RetrySchedule = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };
const highest = () => 0.999999;

describe("nextRetryDelayMs()", () => {
  it("should double the bound after each failed attempt, up to the cap", () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => nextRetryDelayMs(schedule, n, undefined, highest)), [999, 1999, 3999, 4999]);
  });

  it("should draw each delay uniformly below its bound (full jitter)", () => {
    assert.equal(nextRetryDelayMs(schedule, 3, undefined, () => 0), 0);
    assert.equal(nextRetryDelayMs(schedule, 3, undefined, () => 0.5), 2000);
  });

  it("should leave no attempt after the last one", () => {
    assert.equal(nextRetryDelayMs(schedule, 5), undefined);
    assert.equal(nextRetryDelayMs({ ...schedule, maxAttempts: 1 }, 1), undefined);
  });

  it("should wait at least what Retry-After asks, but never beyond the cap", () => {
    assert.equal(nextRetryDelayMs(schedule, 1, 3000, () => 0), 3000);
    assert.equal(nextRetryDelayMs(schedule, 1, 3_600_000, () => 0), 5000);
    assert.equal(nextRetryDelayMs(schedule, 4, 10, highest), 4999, "a shorter Retry-After does not shorten the backoff");
  });

  it("should span about a day with the defaults (25 attempts, 1 s doubling to 4 h)", () => {
    const defaults = { maxAttempts: 25, baseDelayMs: 1000, maxDelayMs: 4 * 3600 * 1000 };
    let longest = 0;
    for (let n = 1; n < 25; n++) longest += nextRetryDelayMs(defaults, n, undefined, highest)!;
    const expected = longest / 2;
    assert.ok(expected > 20 * 3600 * 1000 && expected < 24 * 3600 * 1000, `expected span ${expected / 3600_000} h`);
  });
});
