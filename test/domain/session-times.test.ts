import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExpiresNotBeforeCreated } from "../../src/domain/session-times.js";

const created = new Date("2026-03-01T10:00:00.000Z");

describe("checkExpiresNotBeforeCreated()", () => {
  it("should accept an expiry at or after the creation time, and none at all", () => {
    for (const expires of [created, new Date(created.getTime() + 1), undefined, null]) {
      assert.doesNotThrow(() => checkExpiresNotBeforeCreated("expires", created, expires), String(expires));
    }
  });

  it("should refuse an expiry a millisecond before the creation time, naming the field and the creation time", () => {
    assert.throws(() => checkExpiresNotBeforeCreated("session.expires", created, new Date(created.getTime() - 1)), {
      name: "DomainError",
      code: "invalid_argument",
      field: "session.expires",
      message: "session.expires: must not be before created (2026-03-01T10:00:00.000Z)",
    });
  });
});
