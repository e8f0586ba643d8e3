import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { statementBudget } from "../../src/store/typeorm/statement-budget.js";
import { boundStatement } from "../../src/store/typeorm/statement-timeout.js";

describe("boundStatement()", () => {
  it("should have MariaDB interrupt any statement after its budget, in seconds to the millisecond", () => {
    assert.equal(boundStatement("mariadb", "DELETE FROM t WHERE id = ?", 1234.2), "SET STATEMENT max_statement_time=1.235 FOR DELETE FROM t WHERE id = ?");
    assert.equal(boundStatement("mariadb", "SELECT 1", 0.2), "SET STATEMENT max_statement_time=0.001 FOR SELECT 1");
  });

  it("should bound only SELECT on MySQL, with the MAX_EXECUTION_TIME hint", () => {
    assert.equal(boundStatement("mysql", "SELECT id FROM t", 50), "SELECT /*+ MAX_EXECUTION_TIME(50) */ id FROM t");
    assert.equal(boundStatement("mysql", "DELETE FROM t", 50), "DELETE FROM t");
  });

  it("should leave SQLite's statements as they are", () => {
    assert.equal(boundStatement("sqlite", "SELECT 1", 50), "SELECT 1");
  });
});

describe("statementBudget()", () => {
  const live = new AbortController().signal;

  it("should give statements outside any call the server's maximum", () => {
    assert.deepEqual(statementBudget(30_000, undefined), { timeoutMs: 30_000, byCall: false });
  });

  it("should give a call's statements what remains of its deadline, capped by the maximum", () => {
    const call = { signal: live, deadline: 10_500 };
    assert.deepEqual(statementBudget(30_000, call, 10_000), { timeoutMs: 500, byCall: true, call });
    assert.deepEqual(statementBudget(100, call, 10_000), { timeoutMs: 100, byCall: false, call });
    assert.deepEqual(statementBudget(100, { signal: live }, 10_000), { timeoutMs: 100, byCall: false, call: { signal: live } });
  });

  it("should refuse a statement once less than a millisecond remains", () => {
    assert.throws(() => statementBudget(30_000, { signal: live, deadline: 10_000.5 }, 10_000), { code: "deadline_exceeded" });
  });

  it("should refuse a statement for a cancelled call with the reason it was cancelled", () => {
    const controller = new AbortController();
    const reason = new Error("cancelled");
    controller.abort(reason);
    assert.throws(() => statementBudget(30_000, { signal: controller.signal, deadline: 99_999 }, 10_000), (error) => error === reason);
  });
});
