import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lastSeenIntervalMs, lastSeenIsNews, mergeAttributes, parseSessionMetadata, type SessionMetadataInput } from "../../src/domain/session-metadata.js";

const created = new Date("2026-06-01T12:00:00.000Z");
const input = (overrides: Partial<SessionMetadataInput> = {}): SessionMetadataInput => ({
  signInIpAddress: "",
  signInUserAgent: "",
  lastSeenIpAddress: "",
  lastSeenUserAgent: "",
  authenticationMethods: [],
  authenticationContextClass: "",
  attributes: {},
  ...overrides,
});
const rejected = (field: string) => ({ name: "DomainError", code: "invalid_argument", field, message: new RegExp(`^${field.replace(/[[\]".]/g, "\\$&")}: `) });

describe("parseSessionMetadata()", () => {
  it("should default the last-seen values to the sign-in ones and the time to created", () => {
    const parsed = parseSessionMetadata(input({ signInIpAddress: "::ffff:198.51.100.4", signInUserAgent: "Firefox/140" }), created, "session.metadata.");
    assert.deepEqual(parsed, {
      signInIp: "198.51.100.4",
      signInUserAgent: "Firefox/140",
      lastSeenIp: "198.51.100.4",
      lastSeenUserAgent: "Firefox/140",
      lastSeen: created,
      amr: [],
      acr: undefined,
      attributes: {},
    });
  });

  it("should keep amr once each and attributes as plain keys", () => {
    const parsed = parseSessionMetadata(input({ authenticationMethods: ["pwd", "otp", "pwd"], authenticationContextClass: "urn:acr:mfa", attributes: { __proto__: "x", device: "Pixel 9" } as Record<string, string> }), created, "");
    assert.deepEqual(parsed.amr, ["pwd", "otp"]);
    assert.equal(parsed.acr, "urn:acr:mfa");
    assert.equal(Object.getPrototypeOf(parsed.attributes), Object.prototype);
    assert.equal(parsed.attributes.device, "Pixel 9");
  });

  it("should refuse bad values with INVALID_ARGUMENT naming the field", () => {
    const p = "session.metadata.";
    assert.throws(() => parseSessionMetadata(input({ signInIpAddress: "10.0.0.300" }), created, p), rejected(`${p}sign_in_ip_address`));
    assert.throws(() => parseSessionMetadata(input({ lastSeenIpAddress: "10.0.0.0/8" }), created, p), rejected(`${p}last_seen_ip_address`));
    assert.throws(() => parseSessionMetadata(input({ signInUserAgent: "a".repeat(513) }), created, p), rejected(`${p}sign_in_user_agent`));
    assert.throws(() => parseSessionMetadata(input({ lastSeenUserAgent: "Mozilla\r\nX-Injected: 1" }), created, p), rejected(`${p}last_seen_user_agent`));
    assert.throws(() => parseSessionMetadata(input({ authenticationMethods: Array.from({ length: 17 }, (_, i) => `m${i}`) }), created, p), rejected(`${p}authentication_methods`));
    assert.throws(() => parseSessionMetadata(input({ authenticationMethods: ["pwd", ""] }), created, p), rejected(`${p}authentication_methods[1]`));
    assert.throws(() => parseSessionMetadata(input({ authenticationContextClass: "x".repeat(201) }), created, p), rejected(`${p}authentication_context_class`));
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    assert.throws(() => parseSessionMetadata(input({ attributes: many }), created, p), rejected(`${p}attributes`));
    assert.throws(() => parseSessionMetadata(input({ attributes: { ["k".repeat(65)]: "v" } }), created, p), rejected(`${p}attributes key`));
    assert.throws(() => parseSessionMetadata(input({ attributes: { city: "v".repeat(257) } }), created, p), rejected(`${p}attributes["city"]`));
    assert.throws(() => parseSessionMetadata(input({ attributes: { city: "Bern\u0007" } }), created, p), rejected(`${p}attributes["city"]`));
  });
});

describe("lastSeenIsNews()", () => {
  const recorded = { lastSeenIp: "198.51.100.4", lastSeenUserAgent: "Firefox/140", lastSeen: created };
  const later = (ms: number) => new Date(created.getTime() + ms);

  it("should drop a report of the same address and agent within the interval", () => {
    assert.equal(lastSeenIsNews(recorded, { ip: "198.51.100.4", userAgent: "Firefox/140", at: later(lastSeenIntervalMs - 1) }), false);
    assert.equal(lastSeenIsNews(recorded, { at: later(1000) }), false);
    assert.equal(lastSeenIsNews(recorded, { ip: "198.51.100.4", at: later(lastSeenIntervalMs) }), true);
  });

  it("should record a new address or agent at once, and never go back in time", () => {
    assert.equal(lastSeenIsNews(recorded, { ip: "203.0.113.9", at: later(1) }), true);
    assert.equal(lastSeenIsNews(recorded, { userAgent: "Safari/18", at: later(1) }), true);
    assert.equal(lastSeenIsNews(recorded, { ip: "203.0.113.9", at: later(-1) }), false);
    assert.equal(lastSeenIsNews({}, { at: later(-1) }), true);
  });
});

describe("mergeAttributes()", () => {
  it("should add to or replace the recorded attributes within the limit", () => {
    assert.deepEqual(mergeAttributes({ a: "1", b: "2" }, { values: { b: "3", c: "4" }, replace: false }), { a: "1", b: "3", c: "4" });
    assert.deepEqual(mergeAttributes({ a: "1" }, { values: {}, replace: true }), {});
    const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, "v"]));
    assert.throws(() => mergeAttributes(sixteen, { values: { extra: "v" }, replace: false }), { code: "invalid_argument", field: "attributes" });
  });
});
