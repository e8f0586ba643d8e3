import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { displayNameKey, displayNameKeyMaxBytes, displayNamePrefixRange } from "../../src/domain/display-name-key.js";

// The database compares keys as binary UTF-8, i.e. in code point order, which
// differs from JavaScript's UTF-16 order for astral characters.
const compareUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** What the store selects: `key >= from AND key < to`. */
function inRange(key: string, range: { from: string; to?: string }): boolean {
  return compareUtf8(key, range.from) >= 0 && (range.to === undefined || compareUtf8(key, range.to) < 0);
}

/** Whether a display name matches a prefix, as the store decides it. */
const matches = (displayName: string, prefix: string) => inRange(displayNameKey(displayName), displayNamePrefixRange(prefix));

describe("displayNameKey()", () => {
  it("should fold case", () => {
    assert.equal(displayNameKey("Alice Liddell"), "alice liddell");
    assert.equal(displayNameKey("ALICE LIDDELL"), "alice liddell");
  });

  it("should fold case beyond ASCII", () => {
    assert.equal(displayNameKey("Zoë"), displayNameKey("ZOË"));
    assert.equal(displayNameKey("Zoë"), "zoë");
    assert.equal(displayNameKey("Ärger"), displayNameKey("ÄRGER"));
    assert.equal(displayNameKey("Ärger"), displayNameKey("ärger"));
    assert.equal(displayNameKey("ΣΟΦΊΑ"), displayNameKey("σοφία"));
    assert.equal(displayNameKey("ИВАН"), displayNameKey("Иван"));
  });

  it("should fold ß like SS and ſ like s", () => {
    assert.equal(displayNameKey("Straße"), displayNameKey("STRASSE"));
    assert.equal(displayNameKey("Straße"), displayNameKey("strasse"));
    assert.equal(displayNameKey("ſam"), displayNameKey("Sam"));
  });

  it("should give composed and decomposed spellings the same key", () => {
    assert.equal(displayNameKey("Zo\u00EB"), displayNameKey("Zoe\u0308"));
    assert.equal(displayNameKey("\u00C4rger"), displayNameKey("A\u0308rger"));
    assert.equal(displayNameKey("Ångström"), displayNameKey("Ångström".normalize("NFD")));
  });

  it("should keep % and _ as ordinary characters", () => {
    assert.equal(displayNameKey("100%_Done"), "100%_done");
  });

  it("should keep keys of up to 1024 UTF-8 bytes whole", () => {
    assert.equal(displayNameKeyMaxBytes, 1024);
    const exact = "a".repeat(1020) + "😀";
    assert.equal(displayNameKey(exact), exact);
  });

  it("should cut longer keys to 1024 UTF-8 bytes without splitting a character", () => {
    for (const [unit, fits] of [["a", 1024], ["é", 512], ["€", 341], ["😀", 256]] as const) {
      const key = displayNameKey(unit.repeat(2000));
      assert.equal(key, unit.repeat(fits), unit);
      assert.ok(Buffer.byteLength(key, "utf8") <= 1024, unit);
    }
    // A 4-byte character that would straddle the limit is left out whole.
    const straddling = displayNameKey("ab" + "😀".repeat(300));
    assert.equal(straddling, "ab" + "😀".repeat(255));
    assert.ok(straddling.isWellFormed());
    assert.equal(Buffer.byteLength(straddling, "utf8"), 1022);
  });

  it("should cut after folding, so a name that expands when folded still fits", () => {
    // U+0390 (2 bytes) folds to three code points of 2 bytes each
    const key = displayNameKey("\u0390".repeat(200));
    assert.equal(key, "\u03B9\u0308\u0301".repeat(170) + "\u03B9\u0308");
    assert.equal(Buffer.byteLength(key, "utf8"), 1024);
  });
});

describe("displayNamePrefixRange()", () => {
  it("should start at the folded prefix and end at its successor", () => {
    assert.deepEqual(displayNamePrefixRange("Ali"), { from: "ali", to: "alj" });
    assert.deepEqual(displayNamePrefixRange("ZO"), { from: "zo", to: "zp" });
  });

  it("should match names case-insensitively", () => {
    assert.ok(matches("Alice Liddell", "ALICE"));
    assert.ok(matches("ZOË Smith", "zoë"));
    assert.ok(matches("Zoë", "ZOË"));
    assert.ok(matches("ärger", "ÄR"));
    assert.ok(matches("STRASSER", "straß"));
    assert.ok(matches("Straße", "STRASS"));
  });

  it("should match a composed name by a decomposed prefix and the reverse", () => {
    assert.ok(matches("Zo\u00EB Smith", "Zoe\u0308"));
    assert.ok(matches("Zoe\u0308 Smith", "Zo\u00EB"));
  });

  it("should treat % and _ as literal characters, not wildcards", () => {
    assert.ok(matches("100% done", "100%"));
    assert.ok(matches("a_b", "A_"));
    assert.equal(matches("1000", "100%"), false);
    assert.equal(matches("ab", "a_"), false);
    assert.equal(matches("abc", "%"), false);
    assert.equal(matches("abc", "_"), false);
  });

  it(
    "should match a Greek name by a prefix ending in sigma",
    
    () => {
      assert.ok(matches("Οδοσάκης", "Οδοσ"), "Οδοσάκης by Οδοσ");
      assert.ok(matches("ΟΔΟΣΆΚΗΣ", "ΟΔΟΣ"), "ΟΔΟΣΆΚΗΣ by ΟΔΟΣ");
      assert.ok(matches("Χρυσάνθη", "χρυς"), "Χρυσάνθη by χρυς");
    },
  );

  it("should select exactly the names whose key starts with the folded prefix", () => {
    const names = [
      "",
      "a",
      "A",
      "ab",
      "a_b",
      "a%",
      "alic",
      "Alice",
      "alice liddell",
      "ALICIA",
      "alj",
      "b",
      "Zoë",
      "ZOË Smith",
      "zoe",
      "zoë\u{10FFFF}",
      "zp",
      "Ärger",
      "ärgerlich",
      "Straße",
      "STRASSE",
      "strasz",
      "100%",
      "100%_done",
      "1000",
      "😀 smile",
      "😁",
      "a\uD7FF",
      "a\uD7FFx",
      "a\uE000",
      "a\uE000x",
      "a\uFFFE",
      "a\uFFFF",
      "a\uFFFFb",
      "a\uFFFF\u{10FFFF}",
      "a\u{10000}",
      "a\u{10FFFF}",
      "a\u{10FFFF}z",
      "a\u{10FFFF}\u{10FFFF}",
      "\uFFFF",
      "\u{10000}",
      "\u{10FFFF}",
      "\u{10FFFF}a",
      "\u{10FFFF}\u{10FFFF}",
      "x".repeat(2000),
      "alice " + "x".repeat(2000),
    ];
    const prefixes = [
      "a",
      "A",
      "alic",
      "ALICE",
      "Zo",
      "zoë",
      "STRA",
      "straß",
      "Ä",
      "100%",
      "a_",
      "😀",
      "a\uD7FF",
      "a\uFFFF",
      "a\uFFFE",
      "a\u{10000}",
      "a\u{10FFFF}",
      "\uFFFF",
      "\u{10FFFF}",
      "\u{10FFFF}\u{10FFFF}",
      "x".repeat(200),
    ];
    for (const prefix of prefixes) {
      const range = displayNamePrefixRange(prefix);
      for (const name of names) {
        const key = displayNameKey(name);
        assert.equal(inRange(key, range), key.startsWith(range.from), `prefix ${JSON.stringify(prefix)}, name ${JSON.stringify(name.slice(0, 20))}`);
      }
    }
  });

  it("should step over the surrogate range after U+D7FF", () => {
    assert.deepEqual(displayNamePrefixRange("a\uD7FF"), { from: "a\uD7FF", to: "a\uE000" });
  });

  it("should continue into the astral planes after U+FFFF", () => {
    assert.deepEqual(displayNamePrefixRange("a\uFFFF"), { from: "a\uFFFF", to: "a\u{10000}" });
    assert.ok(matches("a\uFFFF\u{10FFFF}", "a\uFFFF"));
    assert.equal(matches("a\u{10000}", "a\uFFFF"), false);
  });

  it("should carry over a trailing U+10FFFF", () => {
    assert.deepEqual(displayNamePrefixRange("a\u{10FFFF}"), { from: "a\u{10FFFF}", to: "b" });
    assert.deepEqual(displayNamePrefixRange("a\u{10FFFF}\u{10FFFF}"), { from: "a\u{10FFFF}\u{10FFFF}", to: "b" });
  });

  it("should be open-ended when the prefix is made of U+10FFFF only", () => {
    assert.deepEqual(displayNamePrefixRange("\u{10FFFF}\u{10FFFF}"), { from: "\u{10FFFF}\u{10FFFF}", to: undefined });
    assert.ok(matches("\u{10FFFF}\u{10FFFF}!", "\u{10FFFF}\u{10FFFF}"));
    assert.equal(matches("\u{10FFFF}!", "\u{10FFFF}\u{10FFFF}"), false);
  });

  it("should match long names by the start of their name", () => {
    assert.ok(matches("Alice " + "x".repeat(5000), "alice"));
    assert.ok(matches("x".repeat(5000), "x".repeat(200)));
  });
});
