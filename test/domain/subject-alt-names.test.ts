import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSubjectAltNames } from "../../src/domain/subject-alt-names.js";
import { spiffeIdOfCertificate } from "../../src/domain/workload-identity.js";

describe("parseSubjectAltNames()", () => {
  it("should read Node's list, with quoted values decoded", () => {
    assert.deepEqual(parseSubjectAltNames('DNS:a.example, URI:spiffe://example.org/x, IP Address:127.0.0.1, URI:"spiffe://example.org/a,b"'), [
      { type: "DNS", value: "a.example" },
      { type: "URI", value: "spiffe://example.org/x" },
      { type: "IP Address", value: "127.0.0.1" },
      { type: "URI", value: "spiffe://example.org/a,b" },
    ]);
    assert.deepEqual(parseSubjectAltNames(undefined), []);
    assert.deepEqual(parseSubjectAltNames(""), []);
  });

  it("should return an error for text it cannot read", () => {
    assert.ok("error" in parseSubjectAltNames('URI:"unterminated'));
    assert.ok("error" in parseSubjectAltNames("no type here"));
    assert.ok("error" in parseSubjectAltNames('URI:"a"x'));
  });
});

describe("spiffeIdOfCertificate()", () => {
  it("should take the one URI name when it is a SPIFFE ID, whatever other names there are", () => {
    const found = spiffeIdOfCertificate("DNS:console.ops.svc, URI:spiffe://example.org/ns/ops/sa/console, IP Address:10.0.0.7");
    assert.ok(found !== undefined && !("error" in found));
    assert.equal(found.id, "spiffe://example.org/ns/ops/sa/console");
  });

  it("should find none without a URI name, and refuse several or a malformed one", () => {
    assert.equal(spiffeIdOfCertificate(undefined), undefined);
    assert.equal(spiffeIdOfCertificate("DNS:a.example"), undefined);
    assert.match((spiffeIdOfCertificate("URI:spiffe://example.org/a, URI:spiffe://example.org/b") as { error: string }).error, /2 URI names/);
    assert.match((spiffeIdOfCertificate("URI:https://example.org/a") as { error: string }).error, /not a SPIFFE ID/);
    assert.match((spiffeIdOfCertificate('URI:"spiffe://example.org/a,b"') as { error: string }).error, /not a SPIFFE ID/);
  });
});
