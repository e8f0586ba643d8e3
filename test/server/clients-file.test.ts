import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { applyClients, readClientsFile } from "../../src/server/clients-file.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { startServer } from "../../src/server/server.js";
import { startTestServer, testConfig } from "../support/server.js";
import { startCommandArgs } from "../support/start-command.js";

// Awaited before any suite is declared: a suite declared after a top-level
// await can start after the file's root `after` hook has already run.
const backends = await testBackends();
const dir = mkdtempSync(join(tmpdir(), "sm-clients-"));
let files = 0;
/** Writes a clients file and returns its path. */
function file(text: string, extension = ".yaml"): string {
  const path = join(dir, `clients-${++files}${extension}`);
  writeFileSync(path, text);
  return path;
}
const https = { allowHttp: false };

const valid = `# relying parties, kept in version control
clients:
  - client_id: web-app
    backchannel_logout_uri: https://web.example.com/logout?tenant=1
  - client_id: mail
    enabled: false
    backchannel_logout_uri: https://mail.example.com/bc
    backchannel_logout_session_required: false
    logout_token_type: JWT
  - client_id: "12345"
`;

after(() => rmSync(dir, { recursive: true, force: true }));

describe("readClientsFile()", () => {
  it("should read YAML with every setting, defaults for the rest", async () => {
    assert.deepEqual(await readClientsFile(file(valid), https), [
      { clientId: "web-app", enabled: true, backchannelLogoutUri: "https://web.example.com/logout?tenant=1", backchannelLogoutSessionRequired: true },
      { clientId: "mail", enabled: false, backchannelLogoutUri: "https://mail.example.com/bc", backchannelLogoutSessionRequired: false, logoutTokenType: "JWT" },
      { clientId: "12345", enabled: true, backchannelLogoutSessionRequired: true },
    ]);
  });

  it("should read the same from JSON", async () => {
    const json = JSON.stringify({ clients: [{ client_id: "web-app", backchannel_logout_uri: "https://web.example.com/logout", logout_token_type: "none" }] });
    assert.deepEqual(await readClientsFile(file(json, ".json"), https), [
      { clientId: "web-app", enabled: true, backchannelLogoutUri: "https://web.example.com/logout", backchannelLogoutSessionRequired: true, logoutTokenType: "none" },
    ]);
    assert.deepEqual(await readClientsFile(file("clients: []\n", ".yml"), https), []);
  });

  it("should refuse a bad entry, naming the file, the entry and the field", async () => {
    const cases: [string, RegExp][] = [
      ["clients:\n  - client_id: a\n  - client_id: b\n    backchannel_logout_uri: http://b.example/logout\n", /^clients file .*: clients\[1\] \(b\): backchannel_logout_uri: must use https/],
      ["clients:\n  - client_id: a\n    backchanel_logout_uri: https://a.example/\n", /: clients\[0\] \(a\): backchanel_logout_uri: unknown field; expected client_id, enabled, /],
      ["clients:\n  - client_id: a\n    enabled: yes\n", /: clients\[0\] \(a\): enabled: must be a boolean/],
      ["clients:\n  - client_id: 12345\n", /: clients\[0\]: client_id: must be a string/],
      ["clients:\n  - backchannel_logout_uri: https://a.example/\n", /: clients\[0\]: client_id: must not be empty/],
      ["clients:\n  - client_id: a\n  - client_id: a\n", /: clients\[1\] \(a\): client_id: appears more than once/],
      ["clients:\n  - client_id: a\n    logout_token_type: jwt\n", /: clients\[0\] \(a\): logout_token_type: must be one of logout\+jwt, JWT, none/],
      ["clients:\n  - client_id: a\n    backchannel_logout_uri: https://a.example/#x\n", /: clients\[0\] \(a\): backchannel_logout_uri: must not have a fragment/],
      ["clients:\n  - just-a-string\n", /: clients\[0\]: must be a mapping of client settings/],
    ];
    for (const [text, message] of cases) {
      const path = file(text);
      await assert.rejects(readClientsFile(path, https), (error: Error) => {
        assert.match(error.message, message, text);
        assert.ok(error.message.startsWith(`clients file ${path}: `), error.message);
        return true;
      });
    }
  });

  it("should refuse a file that is not a list of clients, is malformed, missing, or of another type", async () => {
    const cases: [string, RegExp][] = [
      [file("- client_id: a\n"), /must be a mapping with one key, `clients`/],
      [file("clients:\n  client_id: a\n"), /must be a mapping with one key, `clients`/],
      [file("clients: []\nextra: 1\n"), /must be a mapping with one key, `clients`/],
      [file(""), /must be a mapping with one key/],
      [file("clients: [\n"), /is not valid YAML: /],
      [file('{"clients": [', ".json"), /is not valid JSON: /],
      [file("clients: []\n", ".txt"), /must be a \.yaml, \.yml or \.json file/],
      [join(dir, "missing.yaml"), /cannot be read: /],
    ];
    for (const [path, message] of cases) await assert.rejects(readClientsFile(path, https), message, path);
  });

  it("should accept plain http when allowed", async () => {
    const [client] = await readClientsFile(file("clients:\n  - client_id: a\n    backchannel_logout_uri: http://a.internal/logout\n"), { allowHttp: true });
    assert.equal(client?.backchannelLogoutUri, "http://a.internal/logout");
  });
});

for (const backend of backends) {
  describe(`clients file at start-up (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db?.drop();
    });

    it("should create and replace the file's clients, leave the others, and change nothing the second time", async () => {
      await db.stores.clients.put({ clientId: "mail", enabled: true, backchannelLogoutSessionRequired: true });
      await db.stores.clients.put({ clientId: "registered-by-api", enabled: true, backchannelLogoutUri: "https://api.example/logout", backchannelLogoutSessionRequired: true });
      const clients = await readClientsFile(file(valid), https);
      assert.deepEqual(await applyClients(db.stores, clients), { created: 2, updated: 1, unchanged: 0 });
      assert.deepEqual(await applyClients(db.stores, clients), { created: 0, updated: 0, unchanged: 3 });
      assert.equal((await db.stores.clients.get("mail"))?.logoutTokenType, "JWT");
      assert.equal((await db.stores.clients.get("registered-by-api"))?.backchannelLogoutUri, "https://api.example/logout");
      assert.equal(await db.stores.clients.count(), 4);
    });
  });

  describe(`server start with --clients (${backend.name})`, { skip: backend.skip }, () => {
    it("should apply the file before serving", async () => {
      const server = await startTestServer(backend, { clientsFile: file(valid) });
      try {
        assert.deepEqual(await server.db.stores.clients.findNotifiable(["web-app", "mail", "12345"]), new Set(["web-app"]));
      } finally {
        await server.stop();
      }
    });

    it("should refuse to start on a bad file, writing nothing", async () => {
      const db = await backend.open();
      try {
        const bad = file("clients:\n  - client_id: a\n  - client_id: b\n    enabled: maybe\n");
        await assert.rejects(
          startServer(testConfig({ databaseUrl: db.url, clientsFile: bad }), db.stores, pino({ level: "silent" })),
          /clients\[1\] \(b\): enabled: must be a boolean/,
        );
        assert.equal(await db.stores.clients.count(), 0);
      } finally {
        await db.drop();
      }
    });
  });
}

describe("npm start with a bad clients file", () => {
  it("should exit with code 1 and say what is wrong", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "sm-serve-clients-"));
    const path = file("clients:\n  - client_id: web\n    backchannel_logout_uri: http://web.example/logout\n");
    try {
      const child = spawn(
        process.execPath,
        [...startCommandArgs(), "--port", "0", "--http-port", "0", "--clients", path],
        { cwd, env: { PATH: process.env.PATH }, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr!.on("data", (chunk) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      assert.equal(code, 1, stderr);
      assert.match(stderr, /clients\[0\] \(web\): backchannel_logout_uri: must use https \(plain http needs --allow-http-logout-uris\)/);
      assert.doesNotMatch(stderr, /"msg":"listening/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
