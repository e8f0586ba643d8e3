import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backchannelLogoutEvent, logoutTokenClaims, type LogoutTokenInput } from "../../src/domain/logout-token-claims.js";

const input: LogoutTokenInput = {
  sessionIssuer: "https://idp.example.com/",
  defaultIssuer: "https://configured.example.com",
  clientId: "web",
  subjectId: "alice",
  sessionId: "sid-1",
  sessionRequired: true,
  now: new Date("2026-03-01T10:00:00.999Z"),
  jti: "jti-1",
};

describe("logoutTokenClaims()", () => {
  it("should make exactly the claims of a logout token", () => {
    assert.deepEqual(logoutTokenClaims(input), {
      claims: {
        iss: "https://idp.example.com/",
        aud: "web",
        iat: 1772359200,
        exp: 1772359320,
        jti: "jti-1",
        events: { [backchannelLogoutEvent]: {} },
        sub: "alice",
        sid: "sid-1",
      },
    });
    assert.equal(backchannelLogoutEvent, "http://schemas.openid.net/event/backchannel-logout");
  });

  it("should keep the session's issuer byte for byte, and fall back to the configured one", () => {
    const odd = "HTTPS://IdP.example.com:443/a/../b/";
    assert.equal((logoutTokenClaims({ ...input, sessionIssuer: odd }) as { claims: { iss: string } }).claims.iss, odd);
    assert.equal((logoutTokenClaims({ ...input, sessionIssuer: undefined }) as { claims: { iss: string } }).claims.iss, "https://configured.example.com");
  });

  it("should refuse to make a token without any issuer", () => {
    assert.match((logoutTokenClaims({ ...input, sessionIssuer: undefined, defaultIssuer: undefined }) as { error: string }).error, /no issuer/);
  });

  it("should leave sid out when the session has none, unless the client requires it", () => {
    const made = logoutTokenClaims({ ...input, sessionId: undefined, sessionRequired: false });
    assert.ok("claims" in made);
    assert.equal("sid" in made.claims, false);
    const refused = logoutTokenClaims({ ...input, sessionId: undefined, sessionRequired: true });
    assert.match((refused as { error: string }).error, /requires a session id/);
  });

  it("should never carry a nonce and keep exp within 120 s of iat", () => {
    const made = logoutTokenClaims(input);
    assert.ok("claims" in made);
    assert.equal("nonce" in made.claims, false);
    assert.ok(made.claims.exp - made.claims.iat <= 120);
  });
});
