import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPageSize, maxPageSize, maxPayloadPageSize, resolvePageSize } from "../../src/domain/page-size.js";

const rejectedAs = (problem: RegExp) => ({
  name: "DomainError",
  code: "invalid_argument",
  field: "count_requested",
  message: problem,
});

describe("resolvePageSize()", () => {
  it("should serve 25 results when 0 are requested", () => {
    assert.equal(defaultPageSize, 25);
    assert.equal(resolvePageSize(0), 25);
  });

  it("should serve exactly what is requested from 1 to 1000", () => {
    assert.equal(resolvePageSize(1), 1);
    assert.equal(resolvePageSize(24), 24);
    assert.equal(resolvePageSize(26), 26);
    assert.equal(resolvePageSize(999), 999);
    assert.equal(resolvePageSize(1000), 1000);
  });

  it("should clamp larger requests to the maximum of 1000", () => {
    assert.equal(maxPageSize, 1000);
    assert.equal(resolvePageSize(1001), 1000);
    assert.equal(resolvePageSize(2 ** 31 - 1), 1000);
  });

  it("should clamp to a smaller maximum where one is given, keeping the default of 25", () => {
    assert.equal(maxPayloadPageSize, 100);
    assert.equal(resolvePageSize(101, maxPayloadPageSize), 100);
    assert.equal(resolvePageSize(100, maxPayloadPageSize), 100);
    assert.equal(resolvePageSize(0, maxPayloadPageSize), 25);
  });

  it("should reject a negative count naming count_requested", () => {
    assert.throws(() => resolvePageSize(-1), rejectedAs(/^count_requested: .*negative/));
    assert.throws(() => resolvePageSize(-(2 ** 31)), rejectedAs(/^count_requested: /));
  });

  it("should reject a count that is not a whole number naming count_requested", () => {
    assert.throws(() => resolvePageSize(1.5), rejectedAs(/^count_requested: /));
    assert.throws(() => resolvePageSize(Number.NaN), rejectedAs(/^count_requested: /));
    assert.throws(() => resolvePageSize(Number.POSITIVE_INFINITY), rejectedAs(/^count_requested: /));
  });
});
