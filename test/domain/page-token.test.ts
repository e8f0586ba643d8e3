import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { limits } from "../../src/domain/limits.js";
import { createPageTokenCodec, type PagePosition } from "../../src/domain/page-token.js";

const secret = Buffer.alloc(32, 7);
const binding = '["alice",null,null,null]|25';
const position: PagePosition = { firstPk: 101, lastPk: 125, page: 5 };
const base64urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const invalid = { error: "is not a valid results token" };

describe("createPageTokenCodec()", () => {
  const codec = createPageTokenCodec(secret);
  const token = codec.encode(position, binding);

  it("should give back the position a token was issued with", () => {
    assert.deepEqual(codec.decode(token, binding), { position });
  });

  it("should round-trip the largest and smallest positions", () => {
    for (const p of [
      { firstPk: Number.MAX_SAFE_INTEGER, lastPk: Number.MAX_SAFE_INTEGER, page: 2 ** 32 - 1 },
      { firstPk: 2 ** 53 - 1000, lastPk: 2 ** 53 - 1, page: 9_007_199 },
      { firstPk: 0, lastPk: 0, page: 0 },
      { firstPk: 1, lastPk: 1, page: 1 },
    ]) {
      assert.deepEqual(codec.decode(codec.encode(p, binding), binding), { position: p });
    }
  });

  it("should round-trip the times of a walk over a time index, newest first (negated) too, signed by the same MAC", () => {
    for (const p of [
      { firstPk: 7, lastPk: 3, page: 2, firstValue: 1_764_000_000_000, lastValue: 1_764_000_000_001 },
      { firstPk: Number.MAX_SAFE_INTEGER - 7, lastPk: Number.MAX_SAFE_INTEGER - 3, page: 9, firstValue: -253_402_300_799_999, lastValue: 0 },
      { firstPk: 4, lastPk: 3, page: 3, firstValue: -62_135_596_800_000, lastValue: -62_135_596_800_000 },
    ]) {
      const valued = codec.encode(p, binding);
      assert.deepEqual(codec.decode(valued, binding), { position: p });
      assert.ok(valued.length <= limits.resultsToken);
      assert.deepEqual(codec.decode(valued, `${binding}|walk:created`), { error: "was issued for a different filter or page size" });
      const raw = Buffer.from(valued, "base64url");
      raw[raw.length - 20]! ^= 1;
      assert.deepEqual(codec.decode(raw.toString("base64url"), binding), invalid);
    }
  });

  it("should issue URL-safe tokens shorter than 100 characters", () => {
    const largest = codec.encode({ firstPk: Number.MAX_SAFE_INTEGER, lastPk: Number.MAX_SAFE_INTEGER, page: 2 ** 32 - 1 }, "x".repeat(10_000));
    for (const t of [token, largest]) {
      assert.match(t, /^[A-Za-z0-9_-]+$/);
      assert.ok(t.length < 100, `${t.length} characters`);
      assert.ok(t.length <= limits.resultsToken);
      assert.equal(encodeURIComponent(t), t);
    }
  });

  it("should issue different tokens for different positions", () => {
    const tokens = [
      token,
      codec.encode({ ...position, firstPk: 102 }, binding),
      codec.encode({ ...position, lastPk: 126 }, binding),
      codec.encode({ ...position, page: 6 }, binding),
    ];
    assert.equal(new Set(tokens).size, tokens.length);
  });

  it("should accept tokens across restarts and instances configured with the same secret", () => {
    const other = createPageTokenCodec(Buffer.from(secret));
    assert.deepEqual(other.decode(token, binding), { position });
    assert.equal(other.encode(position, binding), token);
  });

  it("should reject a token signed with another secret", () => {
    const foreign = createPageTokenCodec(Buffer.alloc(32, 8)).encode(position, binding);
    assert.deepEqual(codec.decode(foreign, binding), invalid);
    const longer = createPageTokenCodec(Buffer.concat([secret, Buffer.from([0])])).encode(position, binding);
    assert.deepEqual(codec.decode(longer, binding), invalid);
  });

  it("should reject a token issued for another filter or page size", () => {
    const otherBindings = ['["bob",null,null,null]|25', '["alice",null,null,null]|50', '[null,"alice",null,null]|25', "", binding + " "];
    for (const other of otherBindings) {
      assert.deepEqual(codec.decode(token, other), { error: "was issued for a different filter or page size" }, other);
    }
  });

  it("should reject a token with any bit of its bytes flipped", () => {
    const raw = Buffer.from(token, "base64url");
    for (let byte = 0; byte < raw.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const tampered = Buffer.from(raw);
        tampered[byte]! ^= 1 << bit;
        assert.deepEqual(codec.decode(tampered.toString("base64url"), binding), invalid, `byte ${byte} bit ${bit}`);
      }
    }
  });

  it("should reject a token with any character but the last replaced", () => {
    for (let i = 0; i < token.length - 1; i++) {
      for (const c of base64urlAlphabet) {
        if (c === token[i]) continue;
        const tampered = token.slice(0, i) + c + token.slice(i + 1);
        assert.deepEqual(codec.decode(tampered, binding), invalid, `position ${i}: ${c}`);
      }
    }
  });

  it(
    "should reject a token with its last character replaced",
    
    () => {
      const accepted = [...base64urlAlphabet].filter((c) => c !== token.at(-1) && codec.decode(token.slice(0, -1) + c, binding).error === undefined);
      assert.deepEqual(accepted, []);
    },
  );

  it("should reject a token cut short or extended", () => {
    for (const tampered of [token.slice(0, -1), token.slice(1), token.slice(0, -4), token + "A", token + "AAAA", token + token]) {
      assert.deepEqual(codec.decode(tampered, binding), invalid, tampered);
    }
  });

  it("should reject garbage without throwing", () => {
    const garbage = [
      "",
      " ",
      "=",
      "A",
      "AA==",
      "null",
      "!!!",
      "é",
      "\uD800",
      token + "=",
      token + "==",
      ` ${token}`,
      `${token}\n`,
      token.replace(/^./, "+"),
      token.replace(/^./, "/"),
      token.replace(/[-_]/g, "+"),
      "A".repeat(token.length),
      "_".repeat(token.length),
      "A".repeat(100_000),
      "%".repeat(token.length),
    ];
    for (const value of garbage) {
      assert.deepEqual(codec.decode(value, binding), invalid, JSON.stringify(value.slice(0, 80)));
    }
  });

  it("should refuse secrets shorter than 32 bytes", () => {
    for (const length of [0, 1, 16, 31]) {
      assert.throws(() => createPageTokenCodec(Buffer.alloc(length, 1)), /at least 32 bytes/, `${length} bytes`);
    }
    assert.doesNotThrow(() => createPageTokenCodec(new Uint8Array(32)));
  });
});
