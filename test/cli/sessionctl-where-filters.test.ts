import assert from "node:assert/strict";
import { PassThrough, Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { main } from "../../src/cli/sessionctl/main.js";
import { testBackends } from "../support/backends.js";
import { createSessions } from "../support/seed-sessions.js";
import { jsonLines as json, sessionctl } from "../support/sessionctl-process.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { testApiKey } from "../support/test-credentials.js";

const ours = "https://idp.example.com";
const partner = "https://partner.example.org";
const later = new Date(Date.now() + 30 * 86_400_000);
const at = (iso: string) => new Date(iso);
const from = (signInIp: string) => ({ signInIp, amr: [], attributes: {} });

for (const backend of await testBackends()) {
  describe(`sessionctl sessions remove --where with every session filter (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer(backend, { terminationJobs: true, terminationPollMs: 50 });
      await createSessions(server.db.stores, [
        { subjectId: "jan-old", sessionId: "jan-old", issuer: ours, created: at("2026-01-05T10:00:00Z"), renewed: at("2026-01-05T10:00:00Z"), expires: at("2026-01-05T11:00:00Z"), metadata: from("198.51.100.10") },
        { subjectId: "feb-active", sessionId: "feb-active", issuer: ours, created: at("2026-02-05T10:00:00Z"), renewed: at("2026-06-01T10:00:00Z"), expires: later, metadata: from("198.51.100.11") },
        { subjectId: "feb-partner", sessionId: "feb-partner", issuer: partner, created: at("2026-02-06T10:00:00Z"), renewed: at("2026-02-06T10:00:00Z"), expires: later, metadata: from("198.51.100.12") },
        { subjectId: "mar-partner", sessionId: "mar-partner", issuer: partner, created: at("2026-03-06T10:00:00Z"), renewed: at("2026-03-06T10:00:00Z"), expires: at("2026-03-06T11:00:00Z"), metadata: from("2001:db8::7") },
        { subjectId: "apr-partner", sessionId: "apr-partner", issuer: partner, created: at("2026-04-06T10:00:00Z"), renewed: at("2026-04-06T10:00:00Z"), expires: later, metadata: from("203.0.113.9") },
      ]);
    });
    after(async () => {
      await server?.stop();
    });

    // sessionctl in this process (quicker than a process per call), as a script would run it.
    const run = async (...args: string[]) => {
      let stdout = "";
      let stderr = "";
      const sink = (append: (text: string) => void) => new Writable({ write: (chunk: Buffer, _encoding, done) => (append(chunk.toString()), done()) });
      const code = await main(args, {
        stdin: new PassThrough(),
        stdout: sink((text) => (stdout += text)),
        stderr: sink((text) => (stderr += text)),
        env: { SESSIONCTL_ADDRESS: `127.0.0.1:${server.port}`, SESSIONCTL_KEY: testApiKey },
        interactive: { stdin: false, stderr: false },
      });
      return { code, stdout, stderr };
    };

    it("should preview, for each filter as sessions list takes it, exactly the sessions the list shows", async () => {
      const filters: string[][] = [
        ["--issuer", partner],
        ["--created-from", "2026-02-01", "--created-to", "2026-03-01T00:00:00Z"],
        ["--renewed-from", "2026-05-01T00:00:00Z"],
        ["--expires-to", "2026-06-01T00:00:00+01:00"],
        ["--expires-from=-1d"],
        ["--state", "active"],
        ["--state", "expired", "--issuer", partner],
        ["--ip", "198.51.100.0/24"],
        ["--ip", "2001:db8::7"],
        ["--ip", "198.51.100.0/24", "--created-from", "2026-02-01", "--state", "active", "--issuer", partner],
      ];
      for (const filter of filters) {
        const listed = await run("sessions", "list", "--json", ...filter);
        assert.equal(listed.code, 0, listed.stderr);
        const expected = json(listed.stdout).length;
        assert.ok(expected > 0 && expected < 5, `${filter.join(" ")} selects some sessions (${expected})`);
        const preview = await run("sessions", "remove", "--where", "--dry-run", "--json", ...filter);
        assert.equal(preview.code, 0, `${filter.join(" ")}: ${preview.stderr}`);
        assert.equal((json(preview.stdout)[0]!.total as { sessions: string }).sessions, String(expected), filter.join(" "));
      }
      const words = await run("sessions", "remove", "--where", "--dry-run", "--issuer", partner, "--state", "active", "--ip", "198.51.100.0/24", "--created-from", "2026-02-01", "--created-to", "2026-03-01");
      assert.equal(words.code, 0, words.stderr);
      assert.match(
        words.stdout,
        /^A termination job would end the sessions matching created from 2026-02-01T00:00:00Z before 2026-03-01T00:00:00Z, state active, issuer https:\/\/partner\.example\.org, signed in from 198\.51\.100\.0\/24:$/m,
      );
      assert.match(words.stdout, /^ {2}sessions {6}1$/m);
      assert.equal(await server.db.stores.sessions.count({}), 5, "a preview changes nothing");
    });

    it("should refuse bad values with a usage error naming the option, before calling the server", async () => {
      for (const [args, message] of [
        [["--state", "gone"], /--state: must be active or expired, not "gone"/],
        [["--ip", "198.51.100.1/24"], /--ip: has host bits set after the prefix length \(not "198\.51\.100\.1\/24"\)/],
        [["--ip", "localhost"], /--ip: must be an IPv4 or IPv6 address \(not "localhost"\)/],
        [["--ip", "198.51.100.0/40"], /--ip: prefix length must be at most 32/],
        [["--created-from", "2026-02-01", "--created-to", "2026-01-01"], /--created-from: must not be after --created-to/],
        [["--renewed-to", "last week"], /--renewed-to: "last week" is not a time/],
        [["--expires-from=-5y"], /--expires-from: "-5y" is not a time/],
        [["--all", "--issuer", partner], /--all: cannot be combined with a filter \(.*--issuer, --ip\)/],
      ] as const) {
        const refused = await run("sessions", "remove", "--where", "--dry-run", ...args);
        assert.equal(refused.code, 2, `${args.join(" ")}: ${refused.stderr}`);
        assert.match(refused.stderr, message);
      }
      const stray = await run("sessions", "remove", "--subject", "jan-old", "--issuer", partner, "--yes");
      assert.equal(stray.code, 2);
      assert.match(stray.stderr, /--issuer: only with --where/);
      assert.equal(await server.db.stores.sessions.count({}), 5);
    });

    it("should end exactly the matching sessions in a job, and show its filter in the job list", async () => {
      // A real process, as an operator runs it.
      const ended = await sessionctl(server, ["sessions", "remove", "--where", "--issuer", partner, "--state", "active", "--created-to=-1d", "--yes", "--reason", "partner offboarding"]);
      assert.equal(ended.code, 0, ended.stderr);
      assert.match(ended.stdout, /^job \S+ finished: 2 sessions ended, /m);
      const left = json((await run("sessions", "list", "--json")).stdout).map((session) => session.sessionId);
      assert.deepEqual(left, ["jan-old", "feb-active", "mar-partner"]);

      const listed = await run("jobs", "list");
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /finished\s+2\/2\s+the sessions matching created before \S+Z, state active, issuer https:\/\/partner\.example\.org\s/);
    });

    it("should export with the same filters", async () => {
      const exported = await run("sessions", "export", "--ip", "198.51.100.0/24", "--state", "expired");
      assert.equal(exported.code, 0, exported.stderr);
      assert.deepEqual(
        json(exported.stdout).map((session) => session.sessionId),
        ["jan-old"],
      );
    });
  });
}
