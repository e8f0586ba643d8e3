import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseClient, type ClientInput } from "../../src/domain/client-input.js";

const input = (overrides: Partial<ClientInput> = {}): ClientInput => ({ clientId: "web", backchannelLogoutUri: "", ...overrides });
const https = { allowHttp: false };
const rejected = (field: string, message: RegExp) => ({ name: "DomainError", code: "invalid_argument", field, message });

describe("parseClient()", () => {
  it("should default to enabled, session required, no URI and the default token type", () => {
    assert.deepEqual(parseClient(input(), https), { clientId: "web", enabled: true, backchannelLogoutSessionRequired: true });
  });

  it("should keep every given setting", () => {
    const client = parseClient(
      input({ enabled: false, backchannelLogoutUri: "https://web.example/logout", backchannelLogoutSessionRequired: false, logoutTokenType: "JWT" }),
      https,
    );
    assert.deepEqual(client, {
      clientId: "web",
      enabled: false,
      backchannelLogoutUri: "https://web.example/logout",
      backchannelLogoutSessionRequired: false,
      logoutTokenType: "JWT",
    });
  });

  it("should accept the three token types exactly as written", () => {
    for (const type of ["logout+jwt", "JWT", "none"]) assert.equal(parseClient(input({ logoutTokenType: type }), https).logoutTokenType, type);
    for (const type of ["jwt", "LOGOUT+JWT", "", "at+jwt"]) {
      assert.throws(() => parseClient(input({ logoutTokenType: type }), https), rejected("logout_token_type", /must be one of logout\+jwt, JWT, none/), type);
    }
  });

  it("should require a client id within the identifier limit", () => {
    assert.throws(() => parseClient(input({ clientId: "" }), https), rejected("client_id", /^client_id: must not be empty/));
    assert.throws(() => parseClient(input({ clientId: "x".repeat(201) }), https), rejected("client_id", /at most 200/));
  });

  it("should validate the URI with the policy", () => {
    assert.throws(() => parseClient(input({ backchannelLogoutUri: "http://127.0.0.1/logout" }), https), rejected("backchannel_logout_uri", /https/));
    assert.equal(parseClient(input({ backchannelLogoutUri: "http://127.0.0.1/logout" }), { allowHttp: true }).backchannelLogoutUri, "http://127.0.0.1/logout");
  });

  it("should name fields after the prefix", () => {
    assert.throws(() => parseClient(input({ backchannelLogoutUri: "https://a/#f" }), https, "client."), rejected("client.backchannel_logout_uri", /^client\.backchannel_logout_uri: /));
  });
});
