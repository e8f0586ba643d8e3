import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSpiffeId, parseSpiffePattern, type SpiffeId } from "../../src/domain/spiffe-id.js";

const id = (text: string): SpiffeId => {
  const parsed = parseSpiffeId(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
};

describe("parseSpiffeId()", () => {
  it("should split a valid ID into its trust domain and path segments", () => {
    assert.deepEqual(parseSpiffeId("spiffe://example.org/ns/ops/sa/console"), {
      id: "spiffe://example.org/ns/ops/sa/console",
      trustDomain: "example.org",
      segments: ["ns", "ops", "sa", "console"],
    });
    assert.deepEqual(parseSpiffeId("spiffe://prod.example-1_x"), { id: "spiffe://prod.example-1_x", trustDomain: "prod.example-1_x", segments: [] });
  });

  it("should refuse what the SPIFFE ID specification does not allow, with the reason", () => {
    const refused: [string, RegExp][] = [
      ["https://example.org/ns/a", /starts with spiffe:\/\//],
      ["SPIFFE://example.org/a", /starts with spiffe:\/\//],
      ["spiffe://Example.org/a", /trust domain/],
      ["spiffe://example.org:443/a", /trust domain/],
      ["spiffe://user@example.org/a", /trust domain/],
      ["spiffe:///a", /trust domain/],
      ["spiffe://example.org/", /empty segment/],
      ["spiffe://example.org/a//b", /empty segment/],
      ["spiffe://example.org/a/../b", /'\.' or '\.\.'/],
      ["spiffe://example.org/a?x=1", /path segment/],
      ["spiffe://example.org/a#f", /path segment/],
      ["spiffe://example.org/a%2Fb", /path segment/],
      ["spiffe://example.org/a b", /path segment/],
      [`spiffe://example.org/${"a".repeat(2048)}`, /at most 2048/],
    ];
    for (const [text, reason] of refused) {
      const parsed = parseSpiffeId(text);
      assert.ok("error" in parsed, text);
      assert.match(parsed.error, reason, text);
    }
  });
});

describe("parseSpiffePattern()", () => {
  const pattern = (text: string) => {
    const parsed = parseSpiffePattern(text);
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed;
  };

  it("should match an exact ID only", () => {
    const exact = pattern("spiffe://example.org/ns/ops/sa/console");
    assert.equal(exact.matches(id("spiffe://example.org/ns/ops/sa/console")), true);
    assert.equal(exact.matches(id("spiffe://example.org/ns/ops/sa/Console")), false);
    assert.equal(exact.matches(id("spiffe://example.org/ns/ops/sa/console/x")), false);
    assert.equal(exact.matches(id("spiffe://example.com/ns/ops/sa/console")), false);
  });

  it("should let * stand for one segment and a final ** for one or more", () => {
    const oneAccount = pattern("spiffe://example.org/ns/ops/sa/*");
    assert.equal(oneAccount.matches(id("spiffe://example.org/ns/ops/sa/helpdesk")), true);
    assert.equal(oneAccount.matches(id("spiffe://example.org/ns/ops/sa")), false);
    assert.equal(oneAccount.matches(id("spiffe://example.org/ns/ops/sa/a/b")), false);
    assert.equal(oneAccount.matches(id("spiffe://example.org/ns/dev/sa/helpdesk")), false);
    const anyUnder = pattern("spiffe://example.org/ns/ops/**");
    assert.equal(anyUnder.matches(id("spiffe://example.org/ns/ops/sa/a")), true);
    assert.equal(anyUnder.matches(id("spiffe://example.org/ns/ops/x")), true);
    assert.equal(anyUnder.matches(id("spiffe://example.org/ns/ops")), false);
    assert.equal(anyUnder.matches(id("spiffe://other.org/ns/ops/x")), false);
  });

  it("should refuse patterns that are not SPIFFE IDs, partial wildcards and ** before the end", () => {
    for (const text of ["spiffe://*.example.org/a", "spiffe://example.org/sa-*", "spiffe://example.org/**/sa", "http://example.org/*", "spiffe://example.org/a//*"]) {
      assert.ok("error" in parseSpiffePattern(text), text);
    }
  });
});
