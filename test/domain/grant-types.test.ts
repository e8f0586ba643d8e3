import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { grantTypes, isGrantType, tokenGrantTypes } from "../../src/domain/grant-types.js";

describe("grantTypes", () => {
  it("should name the types as Duende IdentityServer stores them", () => {
    assert.deepEqual(
      { ...grantTypes },
      {
        authorizationCode: "authorization_code",
        referenceToken: "reference_token",
        refreshToken: "refresh_token",
        userConsent: "user_consent",
        deviceCode: "device_code",
        ciba: "ciba",
      },
    );
  });
});

describe("tokenGrantTypes", () => {
  it("should be what revoke_tokens removes: refresh and reference tokens, codes, CIBA and device codes", () => {
    assert.deepEqual(
      [...tokenGrantTypes].sort(),
      ["authorization_code", "ciba", "device_code", "reference_token", "refresh_token"],
    );
  });

  it("should leave consents to revoke_consents", () => {
    assert.equal(tokenGrantTypes.includes(grantTypes.userConsent), false);
  });
});

describe("isGrantType()", () => {
  it("should accept every known type", () => {
    for (const type of Object.values(grantTypes)) assert.equal(isGrantType(type), true, type);
  });

  it("should reject unknown, empty and differently cased names", () => {
    for (const value of ["", "consent", "Refresh_Token", "REFRESH_TOKEN", " ciba", "access_token", "userConsent"]) {
      assert.equal(isGrantType(value), false, JSON.stringify(value));
    }
  });
});
