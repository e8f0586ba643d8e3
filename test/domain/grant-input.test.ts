import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseGrant, parseGrantFilter, type GrantFilterInput, type GrantInput } from "../../src/domain/grant-input.js";

const now = new Date("2026-06-01T12:00:00.000Z");
const data = Buffer.from([0, 1, 2, 255]);
const grant = (overrides: Partial<GrantInput> = {}): GrantInput => ({
  key: "g1",
  type: "refresh_token",
  subjectId: "",
  sessionId: "",
  clientId: "web",
  description: "",
  data,
  ...overrides,
});
const filter = (overrides: Partial<GrantFilterInput> = {}): GrantFilterInput => ({ subjectId: "", sessionId: "", clientIds: [], types: [], ...overrides });
const rejected = (field: string, message: RegExp) => ({ name: "DomainError", code: "invalid_argument", field, message });

describe("parseGrant()", () => {
  it("should default the creation time to now and leave the rest unset", () => {
    assert.deepEqual(parseGrant(grant(), now), {
      key: "g1",
      type: "refresh_token",
      subjectId: undefined,
      sessionId: undefined,
      clientId: "web",
      description: undefined,
      creationTime: now,
      expiration: undefined,
      consumedTime: undefined,
      data,
    });
  });

  it("should accept every grant type and refuse others, listing them", () => {
    for (const type of ["authorization_code", "reference_token", "refresh_token", "user_consent", "device_code", "ciba"]) {
      assert.equal(parseGrant(grant({ type }), now).type, type);
    }
    for (const type of ["", "Refresh_Token", "access_token"]) {
      assert.throws(() => parseGrant(grant({ type }), now, "grant."), rejected("grant.type", /^grant\.type: must be one of authorization_code, reference_token, refresh_token, user_consent, device_code, ciba$/), type);
    }
  });

  it("should require a key and a client id, and limit the description", () => {
    assert.throws(() => parseGrant(grant({ key: "" }), now), rejected("key", /must not be empty/));
    assert.throws(() => parseGrant(grant({ clientId: "" }), now), rejected("client_id", /must not be empty/));
    assert.throws(() => parseGrant(grant({ description: "d".repeat(201) }), now), rejected("description", /at most 200/));
  });

  it("should refuse times the database cannot store", () => {
    assert.throws(() => parseGrant(grant({ expiration: new Date(Date.UTC(10000, 0, 1)) }), now), rejected("expiration", /between the years/));
    assert.throws(() => parseGrant(grant({ consumedTime: new Date(Number.NaN) }), now), rejected("consumed_time", /between the years/));
  });
});

describe("parseGrantFilter()", () => {
  it("should require a subject or session id, naming the filter", () => {
    assert.throws(() => parseGrantFilter(filter(), "filter."), rejected("filter", /^filter: subject_id or session_id is required/));
    assert.throws(() => parseGrantFilter(filter({ clientIds: ["web"], types: ["refresh_token"] }), "filter."), rejected("filter", /subject_id or session_id/));
  });

  it("should keep the given fields, each list value once, and leave empty lists unset", () => {
    assert.deepEqual(parseGrantFilter(filter({ subjectId: "a" })), { subjectId: "a", sessionId: undefined, clientIds: undefined, types: undefined });
    assert.deepEqual(parseGrantFilter(filter({ sessionId: "s", clientIds: ["x", "x", "y"], types: ["ciba", "ciba"] })), {
      subjectId: undefined,
      sessionId: "s",
      clientIds: ["x", "y"],
      types: ["ciba"],
    });
  });

  it("should refuse unknown types and bad client ids, naming the element", () => {
    assert.throws(() => parseGrantFilter(filter({ subjectId: "a", types: ["refresh_token", "cookie"] }), "filter."), rejected("filter.types[1]", /^filter\.types\[1\]: must be one of/));
    assert.throws(() => parseGrantFilter(filter({ subjectId: "a", clientIds: [""] }), "filter."), rejected("filter.client_ids[0]", /must not be empty/));
  });
});

describe("grant data size limit", () => {
  it("should refuse data above the limit, naming the field with its prefix", () => {
    assert.equal(parseGrant(grant({ data: Buffer.alloc(65536) }), now).data.byteLength, 65536, "64 KiB by default");
    assert.throws(() => parseGrant(grant({ data: Buffer.alloc(65537) }), now, "grant."), rejected("grant.data", /^grant\.data: must be at most 65536 bytes \(is 65537\)$/));
    assert.throws(() => parseGrant(grant({ data: Buffer.alloc(11) }), now, "", 10), rejected("data", /at most 10 bytes/));
  });
});
