import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { grantRecordOf, payloadOfGrant } from "../../../src/integrations/oidc-provider/grant-record.js";
import { grantKey, modelOfKey, placeOf } from "../../../src/integrations/oidc-provider/model-mapping.js";
import { fittedDisplayName, payloadOfSession, sessionRecordOf } from "../../../src/integrations/oidc-provider/session-record.js";

describe("placeOf()", () => {
  it("should put sessions in SessionStore, tokens and grants in GrantStore under Duende's types, the rest in the short-lived store", () => {
    assert.deepEqual(placeOf("Session"), { kind: "session" });
    assert.deepEqual(placeOf("AccessToken"), { kind: "grant", type: "reference_token" });
    assert.deepEqual(placeOf("ClientCredentials"), { kind: "grant", type: "reference_token" });
    assert.deepEqual(placeOf("RefreshToken"), { kind: "grant", type: "refresh_token" });
    assert.deepEqual(placeOf("AuthorizationCode"), { kind: "grant", type: "authorization_code" });
    assert.deepEqual(placeOf("DeviceCode"), { kind: "grant", type: "device_code" });
    assert.deepEqual(placeOf("BackchannelAuthenticationRequest"), { kind: "grant", type: "ciba" });
    assert.deepEqual(placeOf("Grant"), { kind: "grant", type: "user_consent" });
    for (const model of ["Interaction", "ReplayDetection", "PushedAuthorizationRequest", "InitialAccessToken", "Client"]) {
      assert.deepEqual(placeOf(model), { kind: "short-lived" }, model);
    }
  });

  it("should keep each model's keys apart and recover the model from a key", () => {
    assert.equal(grantKey("AccessToken", "abc"), "AccessToken:abc");
    assert.equal(modelOfKey("AccessToken:abc:def"), "AccessToken");
    assert.equal(modelOfKey("nokey"), undefined);
  });
});

describe("grantRecordOf()", () => {
  it("should bind a token to its account, session uid and client, expire it at `exp`, and keep the payload whole", () => {
    const payload = { jti: "t", accountId: "ann", sessionUid: "u", clientId: "web", grantId: "g", exp: 2_000_000_000, extra: { nested: [1, "ü"] } };
    const record = grantRecordOf("RefreshToken", "refresh_token", "t", payload, 60, new Date(0));
    assert.equal(record.key, "RefreshToken:t");
    assert.equal(record.subjectId, "ann");
    assert.equal(record.sessionId, "u");
    assert.equal(record.clientId, "web");
    assert.equal(record.expiration?.getTime(), 2_000_000_000_000);
    assert.deepEqual(payloadOfGrant(record.data, undefined), payload);
  });

  it("should fall back to expiresIn without `exp`, and report the consumed time in seconds", () => {
    const record = grantRecordOf("AuthorizationCode", "authorization_code", "c", { clientId: "web" }, 60, new Date(1_000));
    assert.equal(record.expiration?.getTime(), 61_000);
    assert.equal(record.subjectId, "");
    assert.equal(payloadOfGrant(record.data, new Date(5_500)).consumed, 5);
  });
});

describe("sessionRecordOf()", () => {
  it("should record the account, the uid as session id and the clients of the session's authorizations", () => {
    const payload = { jti: "k", uid: "u", accountId: "ann", exp: 100, authorizations: { a: { sid: "u" }, b: { sid: "u" } } };
    const record = sessionRecordOf("k", payload, 3600, new Date(0), "https://op");
    assert.deepEqual([record.key, record.subjectId, record.sessionId, record.issuer], ["k", "ann", "u", "https://op"]);
    assert.deepEqual(record.clientIds, ["a", "b"]);
    assert.equal(record.expires?.getTime(), 100_000);
    assert.deepEqual(payloadOfSession(record.ticket), payload);
  });

  it("should cut display names to 200 code points and drop empty ones", () => {
    assert.equal(Array.from(fittedDisplayName("😀".repeat(300))!).length, 200);
    assert.equal(fittedDisplayName(""), undefined);
    assert.equal(fittedDisplayName("Ann"), "Ann");
  });
});
