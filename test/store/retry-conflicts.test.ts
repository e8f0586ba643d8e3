import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isDomainError } from "../../src/domain/errors.js";
import { isUnavailableError } from "../../src/store/typeorm/driver-errors.js";
import { retryConflicts } from "../../src/store/typeorm/retry-conflicts.js";

const deadlock = () => Object.assign(new Error("Deadlock found when trying to get lock; try restarting transaction"), { code: "ER_LOCK_DEADLOCK", errno: 1213 });

describe("retryConflicts()", () => {
  it("should run the work again while it meets conflicts, and return what it returns", async () => {
    let runs = 0;
    const result = await retryConflicts(async () => {
      if (++runs < 3) throw deadlock();
      return "done";
    });
    assert.equal(result, "done");
    assert.equal(runs, 3);
  });

  it("should give up after eight attempts with UNAVAILABLE, never a raw driver error that would surface as INTERNAL", async () => {
    let runs = 0;
    const error = await retryConflicts(async () => {
      runs++;
      throw deadlock();
    }).catch((e: unknown) => e);
    assert.equal(runs, 8);
    assert.ok(isDomainError(error), String(error));
    assert.equal(error.code, "unavailable");
  });

  it("should not retry other failures", async () => {
    let runs = 0;
    const failure = new Error("syntax");
    const error = await retryConflicts(async () => {
      runs++;
      throw failure;
    }).catch((e: unknown) => e);
    assert.equal(runs, 1);
    assert.equal(error, failure);
  });
});

describe("isUnavailableError() on a cluster", () => {
  it("should count a node leaving the primary component during COMMIT (ER_ERROR_DURING_COMMIT) and a node not ready (1047) as unavailable", () => {
    assert.equal(isUnavailableError(Object.assign(new Error("Got error 6 \"No such device or address\" during COMMIT"), { code: "ER_ERROR_DURING_COMMIT", errno: 1180 })), true);
    assert.equal(isUnavailableError(Object.assign(new Error("WSREP has not yet prepared node for application use"), { code: "ER_UNKNOWN_COM_ERROR", errno: 1047 })), true);
  });
});
