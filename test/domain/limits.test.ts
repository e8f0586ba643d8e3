import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { displayNameKeyMaxBytes } from "../../src/domain/display-name-key.js";
import { boundedPayload, defaultPayloadLimits, limits } from "../../src/domain/limits.js";

describe("limits", () => {
  it("should allow 200 code points for identifiers and display names, 500 for issuers", () => {
    assert.equal(limits.identifier, 200);
    assert.equal(limits.displayName, 200);
    assert.equal(limits.issuer, 500);
    assert.equal(limits.scheme, 100);
  });

  // Columns hold 4 bytes per code point; a display name within the limit must
  // not lose characters in its folded key before case folding expands it.
  it("should size the display-name key column for any display name within the limit", () => {
    assert.ok(limits.displayName * 4 <= displayNameKeyMaxBytes);
  });

  it("should accept up to 1000 client ids in one removal", () => {
    assert.equal(limits.clientIdsPerRequest, 1000);
  });

  it("should leave room for results tokens well beyond the real ones (under 100 characters)", () => {
    assert.ok(limits.resultsToken >= 100);
  });
});

describe("boundedPayload()", () => {
  it("should accept a payload up to the limit and refuse a larger one, naming the field and both sizes", () => {
    assert.equal(boundedPayload("ticket", new Uint8Array(10), 10).byteLength, 10);
    assert.throws(() => boundedPayload("session.ticket", new Uint8Array(11), 10), {
      name: "DomainError",
      code: "invalid_argument",
      field: "session.ticket",
      message: "session.ticket: must be at most 10 bytes (is 11)",
    });
  });

  it("should default to 64 KiB payloads and 1 MiB pages, well below the 4 MiB clients accept", () => {
    assert.deepEqual(defaultPayloadLimits, { ticketBytes: 65536, grantDataBytes: 65536, pageBytes: 1048576 });
  });
});
