import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { main } from "../../src/cli/sessionctl/main.js";
import { testBackends } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { jsonLines as json, lines, sessionctl } from "../support/sessionctl-process.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { startTcpProxy } from "../support/tcp-proxy.js";
import { permissionKeys, testApiKey } from "../support/test-credentials.js";

const sqlite = (await testBackends()).find((backend) => backend.name === "sqlite")!;

describe("sessionctl sessions remove --where and jobs", () => {
  let server: TestServer;
  let receiver: LogoutReceiver;

  before(async () => {
    receiver = await startReceiver();
    server = await startTestServer(sqlite, { terminationJobs: true, terminationPollMs: 50, allowHttpLogoutUris: true });
    await server.db.stores.clients.put({ clientId: "web-app", enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: false });
    await createSessions(server.db.stores, [
      { subjectId: "alice", sessionId: "sid-alice-1", displayName: "Alice Liddell", clientIds: ["portal", "web-app"] },
      { subjectId: "alice", sessionId: "sid-alice-2", displayName: "Alice Liddell", clientIds: ["portal"] },
      { subjectId: "bob", sessionId: "sid-bob-1", displayName: "Bob Builder", clientIds: ["web-app"] },
      { subjectId: "carol", sessionId: "sid-carol-1", displayName: "Carol Danvers", clientIds: ["portal"] },
    ]);
    await server.db.stores.grants.store(newGrant({ type: "refresh_token", clientId: "web-app", subjectId: "bob", sessionId: "sid-bob-1" }));
  });
  after(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it("should refuse a --where without a filter unless --all says every session, and --all with a filter", async () => {
    const none = await sessionctl(server, ["sessions", "remove", "--where", "--dry-run"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--all for every session/);
    const both = await sessionctl(server, ["sessions", "remove", "--where", "--all", "--subject", "bob", "--dry-run"]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--all: cannot be combined/);
    const stray = await sessionctl(server, ["sessions", "remove", "--subject", "bob", "--dry-run"]);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--dry-run: only with --where/);
  });

  it("should preview with --dry-run: totals, the actions, a row per client, and change nothing", async () => {
    const run = await sessionctl(server, ["sessions", "remove", "--where", "--client", "web-app", "--dry-run"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^A termination job would end the sessions matching client web-app:$/m);
    assert.match(run.stdout, /^ {2}sessions {6}2$/m);
    assert.match(run.stdout, /^ {2}tokens {8}1$/m);
    assert.match(run.stdout, /^ {2}notifications {1}2$/m);
    assert.match(run.stdout, /notify relying parties by back-channel logout/);
    assert.match(run.stdout, /^CLIENT\s+SESSIONS\s+TOKENS\s+CONSENTS\s+NOTIFICATIONS\s+NOTIFIED$/m);
    assert.match(run.stdout, /^web-app\s+2\s+1\s+0\s+2\s+yes$/m);
    assert.match(run.stdout, /^portal\s+1\s+0\s+0\s+0\s+no$/m);
    assert.doesNotMatch(run.stdout, /estimate/i);
    assert.equal(await server.db.stores.sessions.count({ clientId: "web-app" }), 2);

    const asJson = await sessionctl(server, ["sessions", "remove", "--where", "--all", "--dry-run", "--json"]);
    assert.equal(asJson.code, 0, asJson.stderr);
    const [preview] = json(asJson.stdout);
    assert.deepEqual(preview!.total, { sessions: "4", tokens: "1", consents: "0", notifications: "2" });
    assert.equal(preview!.isEstimate, false);
  });

  it("should refuse to start a job without --yes when there is no terminal to ask on", async () => {
    const run = await sessionctl(server, ["sessions", "remove", "--where", "--subject", "carol"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /pass --yes/);
    assert.equal(await server.db.stores.sessions.count({ subjectId: "carol" }), 1);
  });

  it("should show the preview on a terminal and start nothing when the operator answers no", async () => {
    const stdin = new PassThrough();
    let said = "";
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        said += chunk.toString();
        if (said.includes("[y/N]")) stdin.write("n\n");
        done();
      },
    });
    const stdout = new Writable({ write: (_chunk, _encoding, done) => done() });
    const env = { SESSIONCTL_ADDRESS: `127.0.0.1:${server.port}`, SESSIONCTL_KEY: testApiKey };
    const code = await main(["sessions", "remove", "--where", "--display-name", "ali", "--keep-consents"], { stdin, stdout, stderr, env, interactive: { stdin: true, stderr: false } });
    assert.equal(code, 1);
    assert.match(said, /^A termination job will end the sessions matching display name starting with "ali":$/m);
    assert.match(said, /^ {2}sessions {6}2$/m);
    assert.match(said, /keep consents/);
    assert.match(said, /Start the termination job\? \[y\/N\]/);
    assert.match(said, /Nothing was changed/);
    assert.equal(await server.db.stores.sessions.count({ subjectId: "alice" }), 2);
    assert.equal(json((await sessionctl(server, ["jobs", "list", "--json"])).stdout).length, 0);
  });

  it("should start a job with --yes, watch it to the end, and say what it did", async () => {
    const run = await sessionctl(server, ["sessions", "remove", "--where", "--client", "web-app", "--yes", "--reason", "INC-7"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^started job (\S+) \(idempotency key sessionctl-[0-9a-f-]{36}\)$/m);
    assert.match(run.stdout, /^job \S+ finished: 2 sessions ended, 1 token revoked, 0 consents revoked, 2 notifications queued$/m);
    assert.equal(await server.db.stores.sessions.count({ clientId: "web-app" }), 0);
    assert.equal(await server.db.stores.sessions.count({ subjectId: "alice" }), 1);

    const listed = await sessionctl(server, ["jobs", "list"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^JOB ID\s+STATE\s+SESSIONS\s+FILTER\s+CREATED\s+ENDED\s+BY\s+REASON$/m);
    assert.match(listed.stdout, /finished\s+2\/2\s+the sessions matching client web-app\s.*INC-7$/m);
    const [job] = json((await sessionctl(server, ["jobs", "list", "--json", "--state", "finished"])).stdout);
    const got = await sessionctl(server, ["jobs", "get", String(job!.jobId)]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^state: +finished$/m);
    assert.match(got.stdout, /^progress: +2 of 2 sessions in 1 batch$/m);
    assert.match(got.stdout, /^reason: +INC-7$/m);
  });

  it("should return the same job for the same idempotency key", async () => {
    const start = () => sessionctl(server, ["sessions", "remove", "--where", "--subject", "carol", "--yes", "--no-watch", "--json", "--idempotency-key", "inc-8-carol"]);
    const first = json((await start()).stdout)[0]!;
    const second = json((await start()).stdout)[0]!;
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal((second.job as { jobId: string }).jobId, (first.job as { jobId: string }).jobId);
    const watched = await sessionctl(server, ["jobs", "watch", (first.job as { jobId: string }).jobId, "--json"]);
    assert.equal(watched.code, 0, watched.stderr);
    assert.equal(json(watched.stdout)[0]!.state, "TERMINATION_JOB_STATE_SUCCEEDED");
  });

  it("should say not found for an unknown job and refuse to cancel a finished one", async () => {
    const missing = await sessionctl(server, ["jobs", "get", "0000000000000000000000000000"]);
    assert.ok(missing.code === 4 || missing.code === 2, missing.stderr);
    const [job] = json((await sessionctl(server, ["jobs", "list", "--json", "--state", "finished"])).stdout);
    const cancel = await sessionctl(server, ["jobs", "cancel", String(job!.jobId)]);
    assert.equal(cancel.code, 1);
    assert.match(cancel.stderr, /FailedPrecondition/);
  });

  it("should refuse a key without sessions.bulk to start a job", async () => {
    const run = await sessionctl(server, ["sessions", "remove", "--where", "--all", "--yes"], { env: { SESSIONCTL_KEY: permissionKeys["sessions.write"] } });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /missing permission: sessions\.bulk/);
  });
});

describe("sessionctl jobs watch and cancel on a slow job", () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer(sqlite, { terminationJobs: true, terminationPollMs: 50, terminationBatchSize: 1 });
    await createSessions(server.db.stores, Array.from({ length: 100 }, (_, i) => ({ subjectId: `slow-${i}` })));
  });
  after(async () => server?.stop());

  it("should detach on Ctrl-C without cancelling, then cancel with jobs cancel and show the job as cancelled", async () => {
    const started = await sessionctl(server, ["sessions", "remove", "--where", "--all", "--rate", "1", "--yes", "--no-watch"]);
    assert.equal(started.code, 0, started.stderr);
    const jobId = /^started job (\S+);/.exec(started.stdout)?.[1];
    assert.ok(jobId, started.stdout);

    let interrupted = false;
    const watch = await sessionctl(server, ["jobs", "watch", jobId], {
      onStderr(text, child) {
        if (!interrupted && /job \S+: (pending|running)/.test(text)) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    assert.equal(watch.code, 130, watch.stderr);
    assert.match(watch.stderr, new RegExp(`detached; the job goes on: sessionctl jobs watch ${jobId} / sessionctl jobs cancel ${jobId}`));
    const [after] = json((await sessionctl(server, ["jobs", "get", jobId, "--json"])).stdout);
    assert.match(String(after!.state), /PENDING|RUNNING/);

    const cancel = await sessionctl(server, ["jobs", "cancel", jobId]);
    assert.equal(cancel.code, 0, cancel.stderr);
    const watched = await sessionctl(server, ["jobs", "watch", jobId]);
    assert.equal(watched.code, 1, watched.stderr);
    assert.match(watched.stdout, new RegExp(`^job ${jobId} was CANCELLED by \\S+ after \\d+ of 100 sessions; what it did stays done: `, "m"));
    const remaining = await server.db.stores.sessions.count({});
    assert.ok(remaining > 0 && remaining <= 100, `${remaining} sessions left`);
    const listed = await sessionctl(server, ["jobs", "list", "--state", "cancelled"]);
    assert.match(listed.stdout, new RegExp(`^${jobId}\\s+cancelled\\s`, "m"));
  });
});

describe("sessionctl sessions export", () => {
  let server: TestServer;
  let dir: string;

  before(async () => {
    server = await startTestServer(sqlite);
    dir = mkdtempSync(join(tmpdir(), "sessionctl-export-"));
    await createSessions(server.db.stores, [
      { subjectId: "alice", sessionId: "sid-alice-1", displayName: 'Alice "Al", Liddell', clientIds: ["portal", "web-app"] },
      { subjectId: "bob", sessionId: "sid-bob-1", displayName: "Bob Builder", clientIds: ["web-app"] },
    ]);
    await createSessions(server.db.stores, Array.from({ length: 1200 }, (_, i) => ({ subjectId: `bulk-${String(i).padStart(4, "0")}`, clientIds: ["portal"] })));
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should write every session as NDJSON, oldest first, across batches", async () => {
    const run = await sessionctl(server, ["sessions", "export"]);
    assert.equal(run.code, 0, run.stderr);
    const sessions = json(run.stdout);
    assert.equal(sessions.length, 1202);
    assert.equal(sessions[0]!.sessionId, "sid-alice-1");
    assert.deepEqual(sessions[0]!.clientIds, ["portal", "web-app"]);
    assert.equal(new Set(sessions.map((s) => s.sessionId)).size, 1202);
  });

  it("should write filtered sessions as CSV to a file, quoting what needs it", async () => {
    const file = join(dir, "web-app.csv");
    const run = await sessionctl(server, ["sessions", "export", "--client", "web-app", "--format", "csv", "--output", file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /exported 2 sessions to /);
    const [header, alice, bob, ...rest] = readFileSync(file, "utf8").split("\r\n");
    assert.equal(header, "subject_id,session_id,display_name,issuer,client_ids,created,renewed,expires");
    assert.match(alice!, /^alice,sid-alice-1,"Alice ""Al"", Liddell",https:\/\/idp\.example\.com,portal web-app,2026-/);
    assert.match(bob!, /^bob,sid-bob-1,Bob Builder,/);
    assert.deepEqual(rest, [""]);
    const bad = await sessionctl(server, ["sessions", "export", "--format", "xml"]);
    assert.equal(bad.code, 2);
  });

  it("should resume from the last batch after the connection breaks, writing every session once", async () => {
    const proxy = await startTcpProxy("127.0.0.1", server.port);
    try {
      let text = "";
      let cut = false;
      let said = "";
      // A slow reader: the export waits for it, so the connection is cut with batches still to come.
      const stdout = new Writable({
        highWaterMark: 1,
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString();
          if (!cut) {
            cut = true;
            proxy.cutConnections();
          }
          setTimeout(done, 20);
        },
      });
      const stderr = new Writable({ write: (chunk: Buffer, _encoding, done) => ((said += chunk.toString()), done()) });
      const env = { SESSIONCTL_ADDRESS: `127.0.0.1:${proxy.port}`, SESSIONCTL_KEY: testApiKey };
      const code = await main(["sessions", "export"], { stdin: process.stdin, stdout, stderr, env, interactive: { stdin: false, stderr: false } });
      assert.equal(code, 0, said);
      assert.match(said, /the export broke after 500 sessions \(.*\); resuming/);
      const ids = lines(text).map((line) => (JSON.parse(line) as { sessionId: string }).sessionId);
      assert.equal(ids.length, 1202);
      assert.equal(new Set(ids).size, 1202);
      assert.ok(proxy.accepted >= 2);
    } finally {
      await proxy.close();
    }
  });
});
