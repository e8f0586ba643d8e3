import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readCertificateRules } from "../../src/server/credentials.js";

describe("readCertificateRules()", () => {
  const dir = mkdtempSync(join(tmpdir(), "sm-rules-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (text: string) => {
    const path = join(dir, `rules-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, text);
    return path;
  };

  it("should read subject and SPIFFE rules in their order", () => {
    const rules = readCertificateRules(
      file("rules:\n  - spiffe: spiffe://cluster.local/ns/ops/sa/*\n    permissions: [sessions.read]\n  - subject: CN=legacy\n    permissions: []\n"),
    );
    assert.deepEqual(rules, [
      { spiffe: "spiffe://cluster.local/ns/ops/sa/*", permissions: ["sessions.read"] },
      { subject: "CN=legacy", permissions: [] },
    ]);
  });

  it("should refuse a rule with both or neither, or a bad SPIFFE pattern, naming the rule", () => {
    const refused: [string, RegExp][] = [
      ["rules:\n  - subject: CN=a\n    spiffe: spiffe://a/b\n    permissions: []\n", /rules\[0\]: expected either subject or spiffe/],
      ["rules:\n  - permissions: []\n", /rules\[0\]: expected either subject or spiffe/],
      ["rules:\n  - spiffe: spiffe://Cluster.local/ns/a\n    permissions: []\n", /rules\[0\]\.spiffe: .*trust domain/],
      ["rules:\n  - spiffe: spiffe://cluster.local/**/sa\n    permissions: []\n", /rules\[0\]\.spiffe: .*\*\* may only be the last segment/],
      ["rules:\n  - spiffe: 7\n    permissions: []\n", /rules\[0\]\.spiffe: expected a string/],
      ["rules:\n  - spiffe: spiffe://a/b\n    permissions: [everything]\n", /rules\[0\]\.permissions/],
    ];
    for (const [text, reason] of refused) assert.throws(() => readCertificateRules(file(text)), reason, text);
  });
});
