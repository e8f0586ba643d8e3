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
