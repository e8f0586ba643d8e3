import assert from "node:assert/strict";
import type { PeerCertificate } from "node:tls";
import { describe, it } from "node:test";
import { createCertificateAuthenticator } from "../../../src/service/auth/client-certificates.js";

const certificate = (subject: Record<string, string>) => ({ subject }) as unknown as PeerCertificate;

describe("createCertificateAuthenticator()", () => {
  const authenticator = createCertificateAuthenticator([
    { subject: "CN=ops-console,O=Example", permissions: ["sessions.read", "sessions.write"] },
    { subject: "CN=auditor", permissions: ["audit.read"] },
  ]);

  it("should map a subject whose attributes all match to the rule's permissions", () => {
    assert.deepEqual(authenticator.authenticate(certificate({ CN: "ops-console", O: "Example", C: "DE" })), {
      id: "cert:CN=ops-console,O=Example",
      kind: "client-certificate",
      permissions: new Set(["sessions.read", "sessions.write"]),
    });
    assert.equal(authenticator.authenticate(certificate({ CN: "auditor", O: "Anyone" }))?.id, "cert:CN=auditor");
  });

  it("should refuse subjects that match no rule completely", () => {
    assert.equal(authenticator.authenticate(certificate({ CN: "ops-console", O: "Other" })), undefined);
    assert.equal(authenticator.authenticate(certificate({ CN: "Ops-Console", O: "Example" })), undefined);
    assert.equal(authenticator.authenticate(certificate({})), undefined);
  });

  it("should refuse a malformed rule when created", () => {
    assert.throws(() => createCertificateAuthenticator([{ subject: "ops-console", permissions: [] }]), /NAME=value/);
  });
});

describe("createCertificateAuthenticator() with SPIFFE rules", () => {
  const withNames = (subjectaltname: string | undefined, subject: Record<string, string> = { CN: "x" }) =>
    ({ subject, subjectaltname }) as unknown as PeerCertificate;
  const authenticator = createCertificateAuthenticator([
    { spiffe: "spiffe://example.org/ns/admin/sa/console", permissions: ["sessions.read", "sessions.write"] },
    { spiffe: "spiffe://example.org/ns/ops/sa/*", permissions: ["sessions.read"] },
    { subject: "CN=legacy", permissions: ["audit.read"] },
  ]);

  it("should name the caller by its SPIFFE ID, matched exactly or by pattern", () => {
    assert.deepEqual(authenticator.authenticate(withNames("DNS:console, URI:spiffe://example.org/ns/admin/sa/console")), {
      id: "spiffe://example.org/ns/admin/sa/console",
      kind: "client-certificate",
      permissions: new Set(["sessions.read", "sessions.write"]),
    });
    assert.equal(authenticator.authenticate(withNames("URI:spiffe://example.org/ns/ops/sa/helpdesk"))?.id, "spiffe://example.org/ns/ops/sa/helpdesk");
  });

  it("should match no SPIFFE rule for several URI names, a malformed one, or none, leaving subject rules", () => {
    assert.equal(authenticator.authenticate(withNames("URI:spiffe://example.org/ns/admin/sa/console, URI:spiffe://evil.org/x")), undefined);
    assert.equal(authenticator.authenticate(withNames("URI:spiffe://EXAMPLE.org/ns/admin/sa/console")), undefined);
    assert.equal(authenticator.authenticate(withNames('URI:"spiffe://example.org/ns/ops/sa/a,b"')), undefined);
    assert.equal(authenticator.authenticate(withNames(undefined)), undefined);
    assert.equal(authenticator.authenticate(withNames(undefined, { CN: "legacy" }))?.id, "cert:CN=legacy");
  });

  it("should map a forwarded SPIFFE ID through the SPIFFE rules only", () => {
    const forwarded = authenticator.authenticateForwarded({ id: "spiffe://example.org/ns/ops/sa/a", trustDomain: "example.org", segments: ["ns", "ops", "sa", "a"] });
    assert.deepEqual(forwarded, { id: "spiffe://example.org/ns/ops/sa/a", kind: "forwarded-certificate", permissions: new Set(["sessions.read"]) });
    assert.equal(authenticator.authenticateForwarded({ id: "spiffe://example.org/x", trustDomain: "example.org", segments: ["x"] }), undefined);
  });

  it("should refuse a malformed SPIFFE rule when created", () => {
    assert.throws(() => createCertificateAuthenticator([{ spiffe: "spiffe://example.org/sa-*", permissions: [] }]), /not a SPIFFE ID pattern/);
  });
});
