import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { judgeResponse, parseRetryAfter } from "../../src/domain/delivery-verdict.js";

const now = new Date("2026-03-01T10:00:00Z");

describe("judgeResponse()", () => {
  it("should count any 2xx as delivered", () => {
    for (const status of [200, 201, 202, 204, 299]) assert.deepEqual(judgeResponse(status, undefined, now), { kind: "delivered" });
  });

  it("should retry 408, 425, 429 and 5xx", () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504, 599]) assert.deepEqual(judgeResponse(status, undefined, now), { kind: "retry" }, String(status));
  });

  it("should treat redirects and other statuses as final", () => {
    for (const status of [100, 301, 302, 303, 307, 308, 400, 401, 403, 404, 405, 410, 413, 422, 600]) {
      assert.deepEqual(judgeResponse(status, undefined, now), { kind: "final" }, String(status));
    }
  });

  it("should pass on Retry-After with a retryable status only", () => {
    assert.deepEqual(judgeResponse(429, "7", now), { kind: "retry", retryAfterMs: 7000 });
    assert.deepEqual(judgeResponse(503, "Sun, 01 Mar 2026 10:01:00 GMT", now), { kind: "retry", retryAfterMs: 60_000 });
    assert.deepEqual(judgeResponse(429, "soon", now), { kind: "retry" });
    assert.deepEqual(judgeResponse(400, "7", now), { kind: "final" });
  });
});

describe("parseRetryAfter()", () => {
  it("should read delay-seconds and HTTP-dates, a past date as no wait", () => {
    assert.equal(parseRetryAfter(" 120 ", now), 120_000);
    assert.equal(parseRetryAfter("0", now), 0);
    assert.equal(parseRetryAfter("Sunday, 01-Mar-26 10:00:30 GMT", now), 30_000);
    assert.equal(parseRetryAfter("Sat, 28 Feb 2026 10:00:00 GMT", now), 0);
  });

  it("should ignore what it cannot read", () => {
    for (const value of ["", "-1", "1.5", "1e3", "tomorrow", "2026-03-01T10:01:00Z", "Sun, 01 Mar 2026 10:01:00 +0000"]) {
      assert.equal(parseRetryAfter(value, now), undefined, value);
    }
  });
});
