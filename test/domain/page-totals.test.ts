import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { totalPages } from "../../src/domain/page-totals.js";

describe("totalPages()", () => {
  it("should be ceil(total_count / page size)", () => {
    assert.equal(totalPages(1, 25), 1);
    assert.equal(totalPages(25, 25), 1);
    assert.equal(totalPages(26, 25), 2);
    assert.equal(totalPages(50, 25), 2);
    assert.equal(totalPages(51, 25), 3);
    assert.equal(totalPages(1000, 1000), 1);
    assert.equal(totalPages(1001, 1000), 2);
    assert.equal(totalPages(7, 1), 7);
  });

  it("should fit int32 for the largest counts", () => {
    assert.equal(totalPages(2 ** 31 - 1, 1), 2 ** 31 - 1);
    assert.equal(totalPages(2 ** 31 - 1, 1000), 2_147_484);
  });

  // A response with results always has a page, even when the total is an
  // estimate that has not caught up yet. Empty responses report 0 pages;
  // QuerySessions builds those without calling totalPages().
  it("should report at least one page when there are results", () => {
    assert.equal(totalPages(0, 25), 1);
  });
});
