import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readCertificateRules } from "../../src/server/credentials.js";

describe("readCertificateRules()", () => {
  const dir = mkdtempSync(join(tmpdir(), "sm-cert-rules-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("should read rules with their permissions", () => {
    const path = file("rules.yaml", "rules:\n  - subject: CN=ops-console,O=Example\n    permissions: [sessions.read, audit.read]\n");
    assert.deepEqual(readCertificateRules(path), [{ subject: "CN=ops-console,O=Example", permissions: ["sessions.read", "audit.read"] }]);
  });

  it("should refuse sessions.self, which needs the subject a certificate rule does not name, saying where and why", () => {
    const path = file("self.yaml", "rules:\n  - subject: CN=a\n    permissions: [audit.read]\n  - subject: CN=b\n    permissions: [sessions.read, sessions.self]\n");
    assert.throws(
      () => readCertificateRules(path),
      /self\.yaml: rules\[1\]\.permissions\[1\]: a client certificate rule cannot hold sessions\.self .*only a JWT access token names a caller/,
    );
  });
});
