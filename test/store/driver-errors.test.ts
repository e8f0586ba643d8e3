import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRetryableTransactionError, isUnavailableError } from "../../src/store/typeorm/driver-errors.js";

// Errors shaped as mysql2 raises them, wrapped as TypeORM does.
const driverError = (code: string, errno: number) => ({ driverError: { code, errno }, message: "from the server" });

describe("driver errors on a multi-primary cluster", () => {
  it("should retry a certification failure, as Galera (deadlock) and Group Replication (rollback during commit) report it", () => {
    assert.equal(isRetryableTransactionError(driverError("ER_LOCK_DEADLOCK", 1213)), true);
    assert.equal(isRetryableTransactionError(driverError("ER_TRANSACTION_ROLLBACK_DURING_COMMIT", 3101)), true);
    assert.equal(isRetryableTransactionError(driverError("ER_DUP_ENTRY", 1062)), false);
  });

  it("should take a Galera node outside the primary component for an unavailable database", () => {
    assert.equal(isUnavailableError(driverError("ER_UNKNOWN_COM_ERROR", 1047)), true);
    assert.equal(isUnavailableError(driverError("ER_PARSE_ERROR", 1064)), false);
  });
});
