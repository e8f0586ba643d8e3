import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBackchannelLogoutUri } from "../../src/domain/backchannel-logout-uri.js";

const field = "backchannel_logout_uri";
const https = { allowHttp: false };
const http = { allowHttp: true };
const rejected = (message: RegExp) => ({ name: "DomainError", code: "invalid_argument", field, message });

describe("parseBackchannelLogoutUri()", () => {
  it("should accept an absolute https URL with port, path and query, unchanged", () => {
    for (const uri of [
      "https://rp.example.com/logout",
      "https://rp.example.com:8443/oidc/backchannel?tenant=a&x=1",
      "https://RP.Example.COM",
      "https://[::1]:8443/logout",
      "https://xn--bcher-kva.example/logout",
    ]) {
      assert.equal(parseBackchannelLogoutUri(field, uri, https), uri);
    }
  });

  it("should refuse plain http unless allowed, and then accept it for any host", () => {
    assert.throws(() => parseBackchannelLogoutUri(field, "http://127.0.0.1:9000/logout", https), rejected(/^backchannel_logout_uri: must use https \(plain http needs --allow-http-logout-uris\)/));
    assert.throws(() => parseBackchannelLogoutUri(field, "HTTP://rp.internal/logout", https), rejected(/must use https/));
    for (const uri of ["http://127.0.0.1:9000/logout", "http://rp.ns.svc.cluster.local/logout", "HTTP://rp.internal/logout"]) {
      assert.equal(parseBackchannelLogoutUri(field, uri, http), uri);
    }
  });

  it("should refuse other schemes and relative or host-less URLs", () => {
    for (const uri of ["ftp://rp.example.com/logout", "javascript:alert(1)", "/logout", "rp.example.com/logout", "https:rp.example.com", "https:///logout", "https://", "file:///etc/passwd", "data:text/plain,x"]) {
      assert.throws(() => parseBackchannelLogoutUri(field, uri, http), rejected(/^backchannel_logout_uri: must be an absolute http\(s\) URL with a host/), uri);
    }
  });

  it("should refuse a fragment, even an empty one", () => {
    for (const uri of ["https://rp.example.com/logout#x", "https://rp.example.com/logout#"]) {
      assert.throws(() => parseBackchannelLogoutUri(field, uri, https), rejected(/must not have a fragment/), uri);
    }
  });

  it("should refuse user information, even an empty one", () => {
    for (const uri of ["https://user:secret@rp.example.com/logout", "https://user@rp.example.com/", "https://@rp.example.com/", "https://rp.example.com@evil.example/"]) {
      assert.throws(() => parseBackchannelLogoutUri(field, uri, https), rejected(/must not contain user information/), uri);
    }
  });

  it("should allow @ after the host, in the path or query", () => {
    assert.equal(parseBackchannelLogoutUri(field, "https://rp.example.com/u/@me?by=a@b", https), "https://rp.example.com/u/@me?by=a@b");
  });

  // A URL parser drops tabs and newlines and reads \ as /: what is stored
  // would not be what gets called.
  it("should refuse spaces, control characters and backslashes", () => {
    for (const uri of [" https://rp.example.com/", "https://rp.example.com/ ", "https://rp.exa\tmple.com/", "https://rp.example.com/\nx", "https://rp.example.com\\@evil.example/", "https://rp.example.com/\u200bx", "https://rp.example.com/\u00a0"]) {
      assert.throws(() => parseBackchannelLogoutUri(field, uri, https), rejected(/must not contain spaces, control characters or backslashes/), JSON.stringify(uri));
    }
  });

  it("should refuse empty values and values longer than the column", () => {
    assert.throws(() => parseBackchannelLogoutUri(field, "", https), rejected(/must not be empty/));
    const long = `https://rp.example.com/${"a".repeat(2000)}`;
    assert.throws(() => parseBackchannelLogoutUri(field, long, https), rejected(/at most 2000 characters/));
    const longest = `https://rp.example.com/${"a".repeat(2000 - "https://rp.example.com/".length)}`;
    assert.equal(parseBackchannelLogoutUri(field, longest, https), longest);
  });

  it("should name the field it was given", () => {
    assert.throws(() => parseBackchannelLogoutUri("client.backchannel_logout_uri", "ftp://x", https), { field: "client.backchannel_logout_uri", message: /^client\.backchannel_logout_uri: / });
  });
});
