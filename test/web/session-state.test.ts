import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeDuration, sessionLifetime } from "../../src/web/session-state.js";

const now = new Date("2026-06-01T12:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe("sessionLifetime()", () => {
  it("should call a session with a future expiry active, saying when it expires", () => {
    assert.deepEqual(sessionLifetime(at(3 * hour + 5 * minute), now), { state: "active", label: "Active", relative: "expires in 3 h 5 min" });
  });

  it("should call a session expired from its expiry instant on, saying how long ago", () => {
    assert.equal(sessionLifetime(at(0), now).state, "expired");
    assert.deepEqual(sessionLifetime(at(-(2 * day + 4 * hour + 59 * minute)), now), {
      state: "expired",
      label: "Expired",
      relative: "expired 2 d 4 h ago",
    });
    assert.equal(sessionLifetime(at(1), now).state, "active");
  });

  it("should say so when a session has no expiry", () => {
    assert.deepEqual(sessionLifetime(undefined, now), { state: "no-expiry", label: "No expiry", relative: "" });
  });
});

describe("describeDuration()", () => {
  it("should give the two largest units, rounded down, and drop a zero second unit", () => {
    assert.equal(describeDuration(45_000), "45 s");
    assert.equal(describeDuration(minute + 1500), "1 min 1 s");
    assert.equal(describeDuration(3 * hour), "3 h");
    assert.equal(describeDuration(3 * hour + 59 * minute + 59_000), "3 h 59 min");
    assert.equal(describeDuration(400 * day + hour), "400 d 1 h");
    assert.equal(describeDuration(1500 * day), "1,500 d");
  });

  it("should not show zero or negative durations as numbers", () => {
    assert.equal(describeDuration(999), "less than 1 s");
    assert.equal(describeDuration(-5), "less than 1 s");
  });
});
