import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { optionalTextField, requiredTextField } from "../../src/domain/text-field.js";

const rejected = (field: string, problem: RegExp) => ({
  name: "DomainError",
  code: "invalid_argument",
  field,
  message: problem,
});

const astral = "😀"; // one code point, two UTF-16 code units

describe("optionalTextField()", () => {
  it("should treat the empty string as absent", () => {
    assert.equal(optionalTextField("subject_id", "", 200), undefined);
  });

  it("should treat only the empty string as absent, not whitespace", () => {
    assert.equal(optionalTextField("subject_id", " ", 200), " ");
    assert.equal(optionalTextField("subject_id", "\t", 200), "\t");
  });

  it("should return a present value unchanged", () => {
    assert.equal(optionalTextField("subject_id", "alice", 200), "alice");
    assert.equal(optionalTextField("display_name", " Zoë ", 200), " Zoë ");
  });

  it("should validate present values like requiredTextField()", () => {
    assert.throws(() => optionalTextField("subject_id", "x".repeat(201), 200), rejected("subject_id", /^subject_id: /));
    assert.throws(() => optionalTextField("subject_id", "\uD800", 200), rejected("subject_id", /^subject_id: /));
  });
});

describe("requiredTextField()", () => {
  it("should reject the empty string naming the field", () => {
    assert.throws(() => requiredTextField("client_ids[0]", "", 200), rejected("client_ids[0]", /^client_ids\[0\]: must not be empty/));
  });

  it("should accept exactly the maximum number of code points", () => {
    assert.equal(requiredTextField("f", "x".repeat(200), 200), "x".repeat(200));
    assert.equal(requiredTextField("f", astral.repeat(200), 200), astral.repeat(200));
  });

  it("should count an astral character as one, not as two UTF-16 units", () => {
    // 201 UTF-16 units, 200 code points
    const value = "x".repeat(199) + astral;
    assert.equal(value.length, 201);
    assert.equal(requiredTextField("f", value, 200), value);
  });

  it("should reject one code point too many naming the field and the limit", () => {
    assert.throws(() => requiredTextField("subject_id", "x".repeat(201), 200), rejected("subject_id", /^subject_id: must be at most 200 characters$/));
    assert.throws(() => requiredTextField("display_name", astral.repeat(201), 200), rejected("display_name", /^display_name: .*200/));
    assert.throws(() => requiredTextField("issuer", "é".repeat(501), 500), rejected("issuer", /^issuer: .*500/));
  });

  it("should reject a huge value", () => {
    assert.throws(() => requiredTextField("display_name", "x".repeat(10_000_000), 200), rejected("display_name", /200/));
  });

  it("should reject lone surrogates, which are not valid UTF-8", () => {
    for (const value of ["\uD800", "\uDFFF", "ab\uD83D", "\uDE00ab", "a\uDE00\uD83Db"]) {
      assert.throws(() => requiredTextField("session_id", value, 200), rejected("session_id", /^session_id: .*UTF-8/), JSON.stringify(value));
    }
  });

  it("should accept any well-formed text, including whitespace, % and _", () => {
    for (const value of [" ", "100%_done", "Ärger", "ß", "\u{10FFFF}", "\uFFFF", "a\u0000b"]) {
      assert.equal(requiredTextField("f", value, 200), value);
    }
  });
});
