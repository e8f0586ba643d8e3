import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError, invalidArgument, isDomainError, unavailable } from "../../src/domain/errors.js";

describe("invalidArgument()", () => {
  it("should name the field at the start of the message and carry it separately", () => {
    const error = invalidArgument("count_requested", "must not be negative");
    assert.equal(error.code, "invalid_argument");
    assert.equal(error.field, "count_requested");
    assert.equal(error.message, "count_requested: must not be negative");
  });

  it("should be a DomainError and an Error", () => {
    const error = invalidArgument("subject_id", "must not be empty");
    assert.ok(error instanceof DomainError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "DomainError");
  });
});

describe("unavailable()", () => {
  it("should keep the driver error as the cause but not show it in the message", () => {
    const cause = new Error("connect ECONNREFUSED 10.0.0.7:3306 (user root)");
    const error = unavailable(cause);
    assert.equal(error.code, "unavailable");
    assert.equal(error.field, undefined);
    assert.equal(error.cause, cause);
    assert.doesNotMatch(error.message, /ECONNREFUSED|10\.0\.0\.7|root/);
    assert.match(error.message, /try again/);
  });
});

describe("isDomainError()", () => {
  it("should accept domain errors of every code", () => {
    for (const code of ["invalid_argument", "not_found", "already_exists", "unavailable", "deadline_exceeded"] as const) {
      assert.equal(isDomainError(new DomainError(code, "message")), true, code);
    }
  });

  it("should reject other errors and look-alikes, which are internal and never shown", () => {
    assert.equal(isDomainError(new Error("boom")), false);
    assert.equal(isDomainError(new TypeError("boom")), false);
    assert.equal(isDomainError({ name: "DomainError", code: "invalid_argument", message: "x" }), false);
    assert.equal(isDomainError(undefined), false);
    assert.equal(isDomainError("invalid_argument"), false);
  });
});
