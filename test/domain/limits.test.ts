import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { displayNameKeyMaxBytes } from "../../src/domain/display-name-key.js";
import { limits } from "../../src/domain/limits.js";

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
