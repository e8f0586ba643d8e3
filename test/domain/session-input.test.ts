import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseNewSession, parseSessionSelector, parseSessionUpdate, type SessionInput, type SessionUpdateInput } from "../../src/domain/session-input.js";

const now = new Date("2026-06-01T12:00:00.000Z");
const ticket = Buffer.from("ticket");
const session = (overrides: Partial<SessionInput> = {}): SessionInput => ({
  key: "k1",
  scheme: "",
  subjectId: "alice",
  sessionId: "",
  displayName: "",
  issuer: "",
  clientIds: [],
  ticket,
  ...overrides,
});
const update = (overrides: Partial<SessionUpdateInput> = {}): SessionUpdateInput => ({
  key: "k1",
  clearExpires: false,
  clientIds: [],
  replaceClientIds: false,
  ...overrides,
});
const rejected = (field: string, message: RegExp) => ({ name: "DomainError", code: "invalid_argument", field, message });

describe("parseNewSession()", () => {
  it("should default created to now, renewed to created and leave the rest unset", () => {
    assert.deepEqual(parseNewSession(session(), now), {
      key: "k1",
      scheme: "",
      subjectId: "alice",
      sessionId: undefined,
      displayName: undefined,
      issuer: undefined,
      created: now,
      renewed: now,
      expires: undefined,
      clientIds: [],
      ticket,
      metadata: { amr: [], attributes: {}, lastSeen: now },
    });
    const created = new Date("2026-05-01T00:00:00.000Z");
    assert.deepEqual(parseNewSession(session({ created }), now).renewed, created);
  });

  it("should keep every given field and list each client once", () => {
    const times = { created: new Date("2026-05-01T00:00:00Z"), renewed: new Date("2026-05-02T00:00:00Z"), expires: new Date("2026-05-03T00:00:00Z") };
    const parsed = parseNewSession(session({ scheme: "idsrv", sessionId: "sid", displayName: "Alice", issuer: "https://idp", clientIds: ["a", "b", "a"], ...times }), now);
    assert.deepEqual(
      { ...parsed, ticket: undefined },
      { key: "k1", scheme: "idsrv", subjectId: "alice", sessionId: "sid", displayName: "Alice", issuer: "https://idp", ...times, clientIds: ["a", "b"], ticket: undefined, metadata: { amr: [], attributes: {}, lastSeen: times.created } },
    );
  });

  it("should require a key and a subject id, naming them after the prefix", () => {
    assert.throws(() => parseNewSession(session({ key: "" }), now, "session."), rejected("session.key", /^session\.key: must not be empty/));
    assert.throws(() => parseNewSession(session({ subjectId: "" }), now, "session."), rejected("session.subject_id", /^session\.subject_id: /));
  });

  it("should enforce the size limits", () => {
    assert.throws(() => parseNewSession(session({ key: "k".repeat(201) }), now), rejected("key", /at most 200/));
    assert.throws(() => parseNewSession(session({ scheme: "s".repeat(101) }), now), rejected("scheme", /at most 100/));
    assert.throws(() => parseNewSession(session({ issuer: "i".repeat(501) }), now), rejected("issuer", /at most 500/));
    assert.throws(() => parseNewSession(session({ clientIds: ["ok", ""] }), now), rejected("client_ids[1]", /^client_ids\[1\]: must not be empty/));
    assert.throws(() => parseNewSession(session({ clientIds: Array.from({ length: 1001 }, (_, i) => `c${i}`) }), now), rejected("client_ids", /at most 1000/));
  });

  it("should refuse times the database cannot store", () => {
    assert.throws(() => parseNewSession(session({ expires: new Date(Date.UTC(10000, 0, 1)) }), now), rejected("expires", /between the years 1000 and 9999/));
    assert.throws(() => parseNewSession(session({ created: new Date(Date.UTC(999, 11, 31)) }), now), rejected("created", /between the years/));
    assert.throws(() => parseNewSession(session({ renewed: new Date(Number.NaN) }), now), rejected("renewed", /between the years/));
  });
});

describe("parseSessionUpdate()", () => {
  it("should change nothing when nothing is set", () => {
    assert.deepEqual(parseSessionUpdate(update()), { key: "k1", changes: {} });
  });

  it("should carry each set field as a change", () => {
    const renewed = new Date("2026-06-01T00:00:00Z");
    const expires = new Date("2026-06-02T00:00:00Z");
    assert.deepEqual(parseSessionUpdate(update({ renewed, expires, displayName: "Al", ticket, clientIds: ["b", "a", "b"] })).changes, {
      renewed,
      expires,
      displayName: "Al",
      ticket,
      clientIds: { ids: ["b", "a"], replace: false },
    });
  });

  it("should clear the expiry and the display name", () => {
    assert.deepEqual(parseSessionUpdate(update({ clearExpires: true, displayName: "" })).changes, { expires: null, displayName: null });
  });

  it("should refuse a new expiry together with clear_expires", () => {
    assert.throws(() => parseSessionUpdate(update({ clearExpires: true, expires: now })), rejected("expires", /^expires: must be unset when clear_expires is true/));
  });

  it("should replace the clients with the given list, even an empty one", () => {
    assert.deepEqual(parseSessionUpdate(update({ replaceClientIds: true })).changes, { clientIds: { ids: [], replace: true } });
    assert.deepEqual(parseSessionUpdate(update({ replaceClientIds: true, clientIds: ["x"] })).changes, { clientIds: { ids: ["x"], replace: true } });
  });

  it("should require the key", () => {
    assert.throws(() => parseSessionUpdate(update({ key: "" })), rejected("key", /^key: must not be empty/));
  });
});

describe("parseSessionSelector()", () => {
  it("should accept a subject, a session id or both", () => {
    assert.deepEqual(parseSessionSelector({ subjectId: "a", sessionId: "" }), { subjectId: "a", sessionId: undefined });
    assert.deepEqual(parseSessionSelector({ subjectId: "", sessionId: "s" }), { subjectId: undefined, sessionId: "s" });
    assert.deepEqual(parseSessionSelector({ subjectId: "a", sessionId: "s" }), { subjectId: "a", sessionId: "s" });
  });

  it("should refuse an empty selection", () => {
    assert.throws(() => parseSessionSelector({ subjectId: "", sessionId: "" }), rejected("subject_id", /^subject_id: subject_id or session_id is required/));
  });
});

describe("ticket size limit", () => {
  it("should refuse a new session's ticket above the limit, naming the field with its prefix", () => {
    assert.equal(parseNewSession(session({ ticket: Buffer.alloc(65536) }), now).ticket.byteLength, 65536, "64 KiB by default");
    assert.throws(() => parseNewSession(session({ ticket: Buffer.alloc(65537) }), now, "session."), rejected("session.ticket", /^session\.ticket: must be at most 65536 bytes \(is 65537\)$/));
    assert.throws(() => parseNewSession(session({ ticket: Buffer.alloc(11) }), now, "", 10), rejected("ticket", /at most 10 bytes/));
  });

  it("should refuse an updated ticket above the limit", () => {
    assert.equal(parseSessionUpdate(update({ ticket: Buffer.alloc(10) }), 10).changes.ticket?.byteLength, 10);
    assert.throws(() => parseSessionUpdate(update({ ticket: Buffer.alloc(11) }), 10), rejected("ticket", /^ticket: must be at most 10 bytes \(is 11\)$/));
  });
});
