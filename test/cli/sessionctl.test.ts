import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { main } from "../../src/cli/sessionctl/main.js";
import { testBackends } from "../support/backends.js";
import { makeTestCertificates, type TestCertificates } from "../support/certificates.js";
import { newGrant } from "../support/fixtures.js";
import { createSessions } from "../support/seed-sessions.js";
import { jsonLines, lines, sessionctl } from "../support/sessionctl-process.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { permissionKeys, testApiKey } from "../support/test-credentials.js";

const json = jsonLines;

const sqlite = (await testBackends()).find((backend) => backend.name === "sqlite")!;

describe("sessionctl sessions", () => {
  let server: TestServer;
  let dir: string;

  before(async () => {
    server = await startTestServer(sqlite);
    dir = mkdtempSync(join(tmpdir(), "sessionctl-"));
    await createSessions(server.db.stores, [
      {
        subjectId: "alice",
        sessionId: "sid-alice-1",
        displayName: "Alice Liddell",
        clientIds: ["portal", "web-app"],
        metadata: { signInIp: "198.51.100.10", signInUserAgent: "Firefox/140", lastSeenIp: "198.51.100.10", lastSeen: new Date("2026-01-01T08:00:00Z"), amr: ["pwd"], attributes: { device: "Laptop" } },
      },
      { subjectId: "alice", sessionId: "sid-alice-2", displayName: "Alice Liddell", clientIds: ["portal"] },
      { subjectId: "bob", sessionId: "sid-bob-1", displayName: "Bob Builder", clientIds: ["web-app"] },
      { subjectId: "carol", sessionId: "sid-carol-1", displayName: "Carol Danvers", clientIds: ["portal"] },
      { subjectId: "dave", sessionId: "sid-dave-1", displayName: "Dave Lister", clientIds: ["portal"], expires: new Date("2099-01-01T00:00:00Z"), issuer: "https://red-dwarf.example", metadata: { signInIp: "2001:db8::3000", amr: [], attributes: {} } },
    ]);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should list sessions as a table with subject, session id, display name, clients, times, sign-in address and issuer", async () => {
    const run = await sessionctl(server, ["sessions", "list"]);
    assert.equal(run.code, 0, run.stderr);
    const [header, ...rows] = lines(run.stdout);
    assert.match(header!, /^SUBJECT\s+SESSION ID\s+DISPLAY NAME\s+CLIENTS\s+CREATED\s+EXPIRES\s+SIGN-IN IP\s+LAST SEEN\s+ISSUER$/);
    assert.equal(rows.length, 5);
    assert.match(
      rows[0]!,
      /^alice\s+sid-alice-1\s+Alice Liddell\s+portal,web-app\s+2026-\d\d-\d\d \d\d:\d\d:\d\dZ\s+2026-\S+ \S+ \(expired\)\s+198\.51\.100\.10\s+2026-01-01 08:00:00Z\s+https:\/\/idp\.example\.com$/,
    );
    assert.match(rows[4]!, /^dave\s.*2099-01-01 00:00:00Z\s+2001:db8::3000\s/);
  });

  it("should print one JSON object per session with --json", async () => {
    const run = await sessionctl(server, ["sessions", "list", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const sessions = json(run.stdout);
    assert.deepEqual(sessions.map((s) => s.sessionId), ["sid-alice-1", "sid-alice-2", "sid-bob-1", "sid-carol-1", "sid-dave-1"]);
    assert.deepEqual(sessions[0]!.clientIds, ["portal", "web-app"]);
    assert.match(String(sessions[0]!.created), /^2026-.*Z$/);
  });

  it("should show one page by default, say there is more, and walk every page with --all", async () => {
    const first = await sessionctl(server, ["sessions", "list", "--limit", "2", "--json"]);
    assert.equal(json(first.stdout).length, 2);
    assert.match(first.stderr, /more results/);
    const all = await sessionctl(server, ["sessions", "list", "--limit", "2", "--all", "--json"]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(json(all.stdout).map((s) => s.sessionId), ["sid-alice-1", "sid-alice-2", "sid-bob-1", "sid-carol-1", "sid-dave-1"]);
    assert.doesNotMatch(all.stderr, /more results/);
  });

  it("should filter by subject, session id, display name prefix and client", async () => {
    const ids = async (...args: string[]) => json((await sessionctl(server, ["sessions", "list", "--json", ...args])).stdout).map((s) => s.sessionId);
    assert.deepEqual(await ids("--subject", "alice"), ["sid-alice-1", "sid-alice-2"]);
    assert.deepEqual(await ids("--session", "sid-bob-1"), ["sid-bob-1"]);
    assert.deepEqual(await ids("--display-name", "car"), ["sid-carol-1"]);
    assert.deepEqual(await ids("--client", "web-app"), ["sid-alice-1", "sid-bob-1"]);
    assert.deepEqual(await ids("--client", "web-app", "--subject", "bob"), ["sid-bob-1"]);
  });

  it("should filter by times, state, issuer and address, list newest first, and print the metadata with --json", async () => {
    const list = async (...args: string[]) => {
      const run = await sessionctl(server, ["sessions", "list", "--json", ...args]);
      assert.equal(run.code, 0, run.stderr);
      return json(run.stdout);
    };
    const ids = async (...args: string[]) => (await list(...args)).map((s) => s.sessionId);
    assert.deepEqual(await ids("--newest-first", "--subject", "alice"), ["sid-alice-2", "sid-alice-1"]);
    assert.deepEqual(await ids("--state", "active"), ["sid-dave-1"]);
    assert.deepEqual((await ids("--state", "expired")).length, 4);
    assert.deepEqual(await ids("--expires-from", "2099-01-01T00:00:00Z"), ["sid-dave-1"]);
    assert.deepEqual(await ids("--created-to=-1d", "--expires-to", "2098-12-31"), ["sid-alice-1", "sid-alice-2", "sid-bob-1", "sid-carol-1"]);
    assert.deepEqual(await ids("--created-from=-1d"), []);
    assert.deepEqual(await ids("--renewed-from", "2020-01-01", "--renewed-to", "2099-01-01", "--subject", "bob"), ["sid-bob-1"]);
    assert.deepEqual(await ids("--issuer", "https://red-dwarf.example"), ["sid-dave-1"]);
    assert.deepEqual(await ids("--ip", "198.51.100.0/24"), ["sid-alice-1"]);
    assert.deepEqual(await ids("--ip", "2001:db8::3000"), ["sid-dave-1"]);
    const [alice] = await list("--session", "sid-alice-1");
    assert.equal(alice!.expired, true);
    assert.deepEqual(alice!.metadata, {
      signInIpAddress: "198.51.100.10",
      signInUserAgent: "Firefox/140",
      lastSeenIpAddress: "198.51.100.10",
      lastSeenUserAgent: "",
      lastSeenTime: "2026-01-01T08:00:00Z",
      authenticationMethods: ["pwd"],
      authenticationContextClass: "",
      attributes: { device: "Laptop" },
    });
  });

  it("should refuse bad filter values as usage errors naming the option, and what only the server knows as INVALID_ARGUMENT naming the field", async () => {
    for (const [args, message] of [
      [["--state", "gone"], /--state: must be active or expired/],
      [["--created-from", "yesterday"], /--created-from: "yesterday" is not a time/],
      [["--expires-to=-5y"], /--expires-to: /],
      [["--ip", "198.51.100.1/24"], /--ip: has host bits set after the prefix length/],
      [["--created-from", "2026-02-01", "--created-to", "2026-01-01"], /--created-from: must not be after --created-to/],
    ] as const) {
      const run = await sessionctl(server, ["sessions", "list", ...args]);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    const issuer = await sessionctl(server, ["sessions", "list", "--issuer", "x".repeat(5000)]);
    assert.equal(issuer.code, 2, issuer.stderr);
    assert.match(issuer.stderr, /the server refused the request: .*issuer/);
  });

  it("should refuse to remove without --yes when there is no terminal to ask on", async () => {
    const run = await sessionctl(server, ["sessions", "remove", "--subject", "dave"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /pass --yes/);
    assert.equal((await server.db.stores.sessions.count({ subjectId: "dave" })), 1);
  });

  it("should remove a subject's sessions with --yes, print the counts, and report zero counts the second time", async () => {
    await server.db.stores.grants.store(newGrant({ type: "refresh_token", clientId: "portal", subjectId: "alice", sessionId: "sid-alice-1" }));
    await server.db.stores.grants.store(newGrant({ type: "user_consent", clientId: "portal", subjectId: "alice" }));
    const run = await sessionctl(server, ["sessions", "remove", "--subject", "alice", "--yes"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^2 sessions removed, 1 token revoked, 1 consent revoked, 0 notifications queued$/m);
    assert.match(run.stdout, /session ids: sid-alice-1, sid-alice-2/);
    assert.equal(await server.db.stores.sessions.count({ subjectId: "alice" }), 0);

    const again = await sessionctl(server, ["sessions", "remove", "--subject", "alice", "--yes", "--json"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(json(again.stdout)[0], { sessionsRemoved: 0, tokensRevoked: 0, consentsRevoked: 0, notificationsQueued: 0, sessionIds: [] });
  });

  it("should keep what the --keep flags say and remove one session by id", async () => {
    await server.db.stores.grants.store(newGrant({ type: "refresh_token", clientId: "web-app", subjectId: "bob", sessionId: "sid-bob-1" }));
    const run = await sessionctl(server, ["sessions", "remove", "--session", "sid-bob-1", "--keep-tokens", "--keep-consents", "--no-notify", "--yes", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(json(run.stdout)[0], { sessionsRemoved: 1, tokensRevoked: 0, consentsRevoked: 0, notificationsQueued: 0, sessionIds: ["sid-bob-1"] });
    assert.equal((await server.db.stores.grants.findAll({ subjectId: "bob" })).length, 1);
  });

  it("should show what will happen and remove only after the operator answers yes on a terminal", async () => {
    const ask = async (answer: string) => {
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let said = "";
      stderr.on("data", (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes("[y/N]")) stdin.write(`${answer}\n`);
      });
      let printed = "";
      stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
      const env = { SESSIONCTL_ADDRESS: `127.0.0.1:${server.port}`, SESSIONCTL_KEY: testApiKey };
      const code = await main(["sessions", "remove", "--subject", "carol", "--client", "portal"], { stdin, stdout, stderr, env, interactive: { stdin: true, stderr: false } });
      return { code, said, printed };
    };
    const declined = await ask("n");
    assert.equal(declined.code, 1);
    assert.match(declined.said, /This ends the sessions of subject carol \(1 session now\)/);
    assert.match(declined.said, /revoke consents \(clients portal only\)/);
    assert.match(declined.said, /Nothing was changed/);
    assert.equal(await server.db.stores.sessions.count({ subjectId: "carol" }), 1);

    const confirmed = await ask("yes");
    assert.equal(confirmed.code, 0);
    assert.match(confirmed.printed, /^1 session removed/);
    assert.equal(await server.db.stores.sessions.count({ subjectId: "carol" }), 0);
  });

  it("should stop a subjects file after the current subject on Ctrl-C, and finish it with zero counts on a re-run", async () => {
    const subjects = Array.from({ length: 2000 }, (_, i) => `bulk-${i + 1}`);
    await createSessions(server.db.stores, subjects.slice(0, 3).flatMap((subjectId) => [{ subjectId }, { subjectId }]));
    const file = join(dir, "subjects.txt");
    writeFileSync(file, `# users who left\n${subjects.join("\n")}\n\n`);

    let interrupted = false;
    const first = await sessionctl(server, ["sessions", "remove", "--subjects-file", file, "--yes"], {
      onStdout(text, child) {
        if (!interrupted && text.includes("\n")) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stderr, /Stopping after the current subject/);
    const results = lines(first.stdout).filter((line) => line.startsWith("bulk-"));
    assert.ok(results.length >= 1 && results.length < subjects.length, `stopped early, after ${results.length} subjects`);
    assert.equal(results[0], "bulk-1: 2 sessions removed, 0 tokens revoked, 0 consents revoked, 0 notifications queued");
    assert.match(first.stdout, new RegExp(`^summary: ${results.length} of 2000 subjects processed; `, "m"));
    assert.equal(await server.db.stores.sessions.count({ subjectId: "bulk-1" }), 0);

    const second = await sessionctl(server, ["sessions", "remove", "--subjects-file", file, "--yes"]);
    assert.equal(second.code, 0, second.stderr);
    const again = lines(second.stdout).filter((line) => line.startsWith("bulk-"));
    assert.equal(again.length, 2000);
    assert.equal(again[0], "bulk-1: 0 sessions removed, 0 tokens revoked, 0 consents revoked, 0 notifications queued");
    assert.match(second.stdout, /^summary: 2000 of 2000 subjects processed; /m);
    for (const subjectId of subjects.slice(0, 3)) assert.equal(await server.db.stores.sessions.count({ subjectId }), 0);
  });
});

describe("sessionctl errors and connections", () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer(sqlite);
  });
  after(async () => {
    await server?.stop();
  });

  it("should exit with 3 and say the key was refused when the key is wrong", async () => {
    const run = await sessionctl(server, ["sessions", "list"], { env: { SESSIONCTL_KEY: "smk_not-a-key" } });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /the key was refused \(UNAUTHENTICATED\)/);
  });

  it("should exit with 3 and name the missing permission", async () => {
    const run = await sessionctl(server, ["sessions", "remove", "--subject", "x", "--yes", "--key", permissionKeys["sessions.read"]]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /missing permission: sessions\.write/);
  });

  it("should exit with 5 and name the address when the server cannot be reached", async () => {
    const run = await sessionctl(server, ["sessions", "list", "--address", "127.0.0.1:1"]);
    assert.equal(run.code, 5);
    assert.match(run.stderr, /cannot reach 127\.0\.0\.1:1: connection refused/);
  });

  it("should exit with 2 on usage errors without calling the server", async () => {
    for (const args of [["sessions"], ["sesions", "list"], ["sessions", "list", "--bogus"], ["sessions", "remove", "--yes"], ["sessions", "list", "--limit", "0"]]) {
      const run = await sessionctl({ port: 1 }, args);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, /--help/);
    }
  });

  it("should print help with exit code 0", async () => {
    const run = await sessionctl(server, ["--help"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /sessions remove/);
    assert.match(run.stdout, /--address HOST:PORT/);
  });
});

describe("sessionctl in a pipeline", () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer(sqlite);
    // Far more output than a pipe buffers, so writes go on after the reader has gone.
    await createSessions(server.db.stores, Array.from({ length: 3000 }, (_, i) => ({ subjectId: `piped-${i}`, clientIds: ["portal", "web-app"] })));
  });
  after(async () => {
    await server?.stop();
  });

  it("should end quietly with exit code 0 when the reader closes the pipe early, as in `sessionctl … | head -1`", async () => {
    const entry = fileURLToPath(new URL("../../src/cli/sessionctl.ts", import.meta.url));
    const env = { ...process.env, SESSIONCTL_ADDRESS: `127.0.0.1:${server.port}`, SESSIONCTL_KEY: testApiKey };
    for (const args of [["sessions", "list", "--all", "--json"], ["sessions", "list", "--all", "--limit", "100"]]) {
      // bash reports each side of the pipeline's exit status; head reads one line and closes the pipe.
      const script = `"$@" | head -1; echo "exit statuses: \${PIPESTATUS[*]}" >&2`;
      const run = await promisify(execFile)("bash", ["-c", script, "pipeline", process.execPath, "--import", "tsx", entry, ...args], { env });
      assert.equal(lines(run.stdout).length, 1, run.stdout);
      assert.match(run.stderr, /^exit statuses: 0 0$/m, `${args.join(" ")}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /EPIPE|Error|at /, args.join(" "));
    }
  });
});

describe("sessionctl over TLS", () => {
  let certificates: TestCertificates;
  let server: TestServer;

  before(async () => {
    certificates = makeTestCertificates();
    const rules = join(certificates.dir, "client-certificates.yaml");
    writeFileSync(rules, "rules:\n  - subject: CN=sessionctl-reader\n    permissions: [sessions.read]\n");
    server = await startTestServer(sqlite, {
      tlsCertFile: certificates.serverCert,
      tlsKeyFile: certificates.serverKey,
      tlsClientCaFile: certificates.caCert,
      clientCertificatesFile: rules,
    });
    await createSessions(server.db.stores, [{ subjectId: "tls-user", sessionId: "sid-tls" }]);
  });
  after(async () => {
    await server?.stop();
    certificates?.remove();
  });

  it("should connect with TLS when given the CA", async () => {
    const run = await sessionctl(server, ["sessions", "list", "--json", "--ca", certificates.caCert]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(json(run.stdout).map((s) => s.sessionId), ["sid-tls"]);
  });

  it("should authenticate with a client certificate alone, with that certificate's permissions", async () => {
    const reader = certificates.client("sessionctl-reader");
    const mtls = ["--ca", certificates.caCert, "--cert", reader.cert, "--cert-key", reader.key];
    const list = await sessionctl(server, ["sessions", "list", "--json", ...mtls], { env: { SESSIONCTL_KEY: "" } });
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(json(list.stdout).map((s) => s.sessionId), ["sid-tls"]);
    const remove = await sessionctl(server, ["sessions", "remove", "--subject", "tls-user", "--yes", ...mtls], { env: { SESSIONCTL_KEY: "" } });
    assert.equal(remove.code, 3);
    assert.match(remove.stderr, /missing permission: sessions\.write/);
    const half = await sessionctl(server, ["sessions", "list", "--ca", certificates.caCert, "--cert", reader.cert]);
    assert.equal(half.code, 2);
    assert.match(half.stderr, /--cert and --cert-key: give both or neither/);
  });
});
