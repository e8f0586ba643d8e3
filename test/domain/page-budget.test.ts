import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rowsWithinBudget } from "../../src/domain/page-budget.js";

describe("rowsWithinBudget()", () => {
  it("should take rows in order while their sizes add up to at most the budget", () => {
    assert.equal(rowsWithinBudget([40, 40, 20, 1], 100), 3);
    assert.equal(rowsWithinBudget([40, 40, 21], 100), 2);
    assert.equal(rowsWithinBudget([10, 10, 10], 100), 3);
  });

  it("should take one row that alone exceeds the budget, so that a walk moves on", () => {
    assert.equal(rowsWithinBudget([500, 1], 100), 1);
  });

  it("should take nothing from nothing", () => {
    assert.equal(rowsWithinBudget([], 100), 0);
  });
});
