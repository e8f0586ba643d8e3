import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readApiKeyFile } from "../../../src/service/auth/api-key-file.js";
import { createApiKeyAuthenticator, generateApiKey, sha256 } from "../../../src/service/auth/api-keys.js";

describe("createApiKeyAuthenticator()", () => {
  const helpdesk = generateApiKey();
  const auditor = generateApiKey();
  const authenticator = createApiKeyAuthenticator([
    { id: "helpdesk", sha256: sha256(helpdesk), permissions: ["sessions.read", "sessions.write"] },
    { id: "auditor", sha256: sha256(auditor), permissions: ["audit.read"] },
  ]);

  it("should name the key's id and permissions, never the key", () => {
    const principal = authenticator.authenticate(helpdesk);
    assert.deepEqual(principal, { id: "helpdesk", kind: "api-key", permissions: new Set(["sessions.read", "sessions.write"]) });
    assert.equal(authenticator.authenticate(auditor)?.id, "auditor");
    assert.equal(JSON.stringify([...Object.values(principal!)]).includes(helpdesk), false);
  });

  it("should refuse unknown keys, near misses and empty input", () => {
    for (const key of [generateApiKey(), helpdesk.slice(0, -1), `${helpdesk}x`, helpdesk.toUpperCase(), "", sha256(helpdesk).toString("hex")]) {
      assert.equal(authenticator.authenticate(key), undefined, key);
    }
  });

  it("should generate distinct 256-bit keys", () => {
    const keys = new Set(Array.from({ length: 100 }, generateApiKey));
    assert.equal(keys.size, 100);
    for (const key of keys) assert.match(key, /^smk_[\w-]{43}$/);
  });
});

describe("readApiKeyFile()", () => {
  const dir = mkdtempSync(join(tmpdir(), "sm-keys-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const digest = sha256("k").toString("hex");

  it("should read YAML and JSON files of hashed keys", () => {
    const yaml = file("keys.yaml", `keys:\n  - id: ops\n    sha256: ${digest}\n    permissions: [sessions.read, clients.admin]\n`);
    const json = file("keys.json", JSON.stringify({ keys: [{ id: "ops", sha256: digest.toUpperCase(), permissions: ["sessions.read", "clients.admin"] }] }));
    for (const path of [yaml, json]) {
      assert.deepEqual(readApiKeyFile(path), [{ id: "ops", sha256: sha256("k"), permissions: ["sessions.read", "clients.admin"] }]);
    }
  });

  it("should name the entry and field of every mistake", () => {
    const cases: [string, RegExp][] = [
      ["nothing: here", /expected a "keys" list/],
      ["keys:\n  - sha256: x\n", /keys\[0\]\.id: required/],
      [`keys:\n  - id: a\n    sha256: not-hex\n    permissions: []\n`, /keys\[0\]\.sha256: expected 64 hex digits/],
      [`keys:\n  - id: a\n    sha256: ${digest}\n    permissions: [sessions.everything]\n`, /keys\[0\]\.permissions\[0\]: unknown permission "sessions.everything"/],
      [`keys:\n  - id: a\n    sha256: ${digest}\n    permissions: []\n  - id: a\n    sha256: ${digest}\n    permissions: []\n`, /keys\[1\]\.id: "a" is listed twice/],
      ["keys: [", /keys-\d+\.yaml: /],
      [
        `keys:\n  - id: a\n    sha256: ${digest}\n    permissions: [sessions.read, sessions.self]\n`,
        /keys\[0\]\.permissions\[1\]: an API key cannot hold sessions\.self .*only a JWT access token names a caller \(its sub claim\)/,
      ],
    ];
    cases.forEach(([text, message], i) => assert.throws(() => readApiKeyFile(file(`keys-${i}.yaml`, text)), message));
    assert.throws(() => readApiKeyFile(join(dir, "missing.yaml")), /missing\.yaml/);
  });
});
