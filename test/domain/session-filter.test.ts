import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSessionFilter, sessionFilterKey, type SessionFilter, type SessionFilterInput } from "../../src/domain/session-filter.js";

const noFilter: SessionFilterInput = { subjectId: "", sessionId: "", displayName: "", clientId: "" };

const rejected = (field: string) => ({ name: "DomainError", code: "invalid_argument", field, message: new RegExp(`^${field}: `) });

describe("parseSessionFilter()", () => {
  it("should treat empty strings as no filter on that field", () => {
    assert.deepEqual(parseSessionFilter(noFilter), {
      subjectId: undefined,
      sessionId: undefined,
      displayNamePrefix: undefined,
      clientId: undefined,
    });
  });

  it("should keep every given field as given, the display name unfolded", () => {
    assert.deepEqual(parseSessionFilter({ subjectId: "alice", sessionId: "sid-1", displayName: "ZOË %_", clientId: "web" }), {
      subjectId: "alice",
      sessionId: "sid-1",
      displayNamePrefix: "ZOË %_",
      clientId: "web",
    });
  });

  it("should accept 200 code points in every field", () => {
    const max = "😀".repeat(200);
    const filter = parseSessionFilter({ subjectId: max, sessionId: max, displayName: max, clientId: max });
    assert.deepEqual(filter, { subjectId: max, sessionId: max, displayNamePrefix: max, clientId: max });
  });

  it("should reject an over-long value naming its field", () => {
    const tooLong = "😀".repeat(201);
    assert.throws(() => parseSessionFilter({ ...noFilter, subjectId: tooLong }), rejected("subject_id"));
    assert.throws(() => parseSessionFilter({ ...noFilter, sessionId: tooLong }), rejected("session_id"));
    assert.throws(() => parseSessionFilter({ ...noFilter, displayName: tooLong }), rejected("display_name"));
    assert.throws(() => parseSessionFilter({ ...noFilter, clientId: tooLong }), rejected("client_id"));
  });

  it("should reject lone surrogates naming the field", () => {
    assert.throws(() => parseSessionFilter({ ...noFilter, subjectId: "a\uD800" }), rejected("subject_id"));
    assert.throws(() => parseSessionFilter({ ...noFilter, sessionId: "\uDC00" }), rejected("session_id"));
    assert.throws(() => parseSessionFilter({ ...noFilter, displayName: "Zo\uD83D" }), rejected("display_name"));
    assert.throws(() => parseSessionFilter({ ...noFilter, clientId: "\uDFFFweb" }), rejected("client_id"));
  });
});

describe("sessionFilterKey()", () => {
  it("should give equal filters the same key", () => {
    const a = parseSessionFilter({ subjectId: "alice", sessionId: "", displayName: "Al", clientId: "web" });
    const b = parseSessionFilter({ subjectId: "alice", sessionId: "", displayName: "Al", clientId: "web" });
    assert.equal(sessionFilterKey(a), sessionFilterKey(b));
    assert.equal(sessionFilterKey({ subjectId: "alice" }), sessionFilterKey({ clientId: undefined, subjectId: "alice" }));
  });

  // Page tokens are bound to this key and stay valid across restarts and
  // instances, so a change of format would invalidate every token in use.
  it("should not change between releases", () => {
    assert.equal(sessionFilterKey({}), "[null,null,null,null]");
    assert.equal(sessionFilterKey({ subjectId: "alice", clientId: "web" }), '["alice",null,null,"web"]');
  });

  it("should tell apart the same value in different fields", () => {
    const keys = [
      sessionFilterKey({}),
      sessionFilterKey({ subjectId: "x" }),
      sessionFilterKey({ sessionId: "x" }),
      sessionFilterKey({ displayNamePrefix: "x" }),
      sessionFilterKey({ clientId: "x" }),
    ];
    assert.equal(new Set(keys).size, keys.length);
  });

  it("should tell apart values that only differ in how they would be joined", () => {
    const filters: SessionFilter[] = [
      { subjectId: 'a","b' },
      { subjectId: "a", sessionId: "b" },
      { subjectId: "a,b" },
      { subjectId: "null" },
      { subjectId: "undefined" },
      { subjectId: "" },
      { subjectId: "a|25" },
      { subjectId: "a\\" },
      { subjectId: "a", displayNamePrefix: "b" },
    ];
    const keys = filters.map(sessionFilterKey);
    assert.equal(new Set(keys).size, keys.length);
    assert.notEqual(sessionFilterKey({}), sessionFilterKey({ subjectId: "null" }));
  });
});
