import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseForwardedClientCert } from "../../src/domain/forwarded-client-cert.js";

describe("parseForwardedClientCert()", () => {
  it("should read Envoy's elements and fields, quoted values included", () => {
    const header =
      'By=spiffe://example.org/ns/sm/sa/server;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;' +
      'Subject="CN=console,O=Example, Inc.";URI=spiffe://example.org/ns/ops/sa/console;DNS=console.ops;DNS=console,' +
      'By=spiffe://example.org/ns/edge/sa/gw;URI=spiffe://example.org/ns/ops/sa/other;Cert="-----BEGIN%20CERTIFICATE-----%0A"';
    assert.deepEqual(parseForwardedClientCert(header), [
      {
        by: "spiffe://example.org/ns/sm/sa/server",
        hash: "468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688",
        subject: "CN=console,O=Example, Inc.",
        uri: "spiffe://example.org/ns/ops/sa/console",
        dns: ["console.ops", "console"],
      },
      { by: "spiffe://example.org/ns/edge/sa/gw", uri: "spiffe://example.org/ns/ops/sa/other", dns: [] },
    ]);
  });

  it("should take keys in any case and unescape quotes inside quoted values", () => {
    assert.deepEqual(parseForwardedClientCert('uri=spiffe://a/b;subject="CN=\\"x\\""'), [{ uri: "spiffe://a/b", subject: 'CN="x"', dns: [] }]);
  });

  it("should refuse a malformed header whole, with the reason", () => {
    const refused: [string, RegExp][] = [
      ["", /Key=Value/],
      ["URI", /Key=Value/],
      ["URI=spiffe://a/b,", /Key=Value/],
      ["URI=spiffe://a/b,,URI=spiffe://a/c", /unknown key/],
      ['URI="spiffe://a/b', /unterminated/],
      ['URI=spiffe://a/"b"', /quote inside/],
      ['URI="a"b', /unexpected/],
      ["URI=spiffe://a/b;URI=spiffe://a/c", /twice/],
      ["Evil=1;URI=spiffe://a/b", /unknown key/],
      ["=x", /empty key/],
    ];
    for (const [header, reason] of refused) {
      const parsed = parseForwardedClientCert(header);
      assert.ok("error" in parsed, header);
      assert.match(parsed.error, reason, header);
    }
  });
});
