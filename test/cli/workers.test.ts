import assert from "node:assert/strict";
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { ended, isRunning, npmStart, type NpmStart } from "../support/npm-start.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { testApiKey, testApiKeysFile } from "../support/test-credentials.js";

const backends = await testBackends();
const mysql = backends.find((b) => b.name === "mysql")!;
const graceMs = 2000;
// Within the grace period plus the server's margin, with room for a loaded machine.
const exitWithinMs = graceMs + 4000 + 10_000;

/** The worker processes under the primary (node processes running serve.ts). */
function workerPids(primary: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${primary}/task`)) {
    try {
      children.push(...readFileSync(`/proc/${primary}/task/${task}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("serve.ts") && isRunning(pid);
    } catch {
      return false;
    }
  });
}

/** One Connect call over HTTP/1.1 on a connection of its own, so that the kernel may hand it to any worker. */
function connectCall(port: number, method: string, body: object, service = "SessionManagement"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/sessionmanagement.v1.${service}/${method}`,
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), authorization: `Bearer ${testApiKey}` },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body: text }));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: "/metrics", agent: false }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve(text));
    }).on("error", reject);
  });
}

const logLines = (run: NpmStart) =>
  run
    .logs()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("npm start --workers 2 (mysql)", { skip: mysql.skip }, () => {
  let db: TestDatabase;
  let receiver: LogoutReceiver;
  let run: NpmStart;
  let primary: number;
  let httpPort: number;

  before(async () => {
    db = await mysql.open();
    receiver = await startReceiver();
    await db.stores.clients.put({ clientId: "rp", enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: true });
    run = npmStart(["--port", "0", "--http-port", "0", "--workers", "2", "--shutdown-grace-ms", String(graceMs)], {
      DATABASE_URL: db.url,
      API_KEYS_FILE: testApiKeysFile(),
      LOG_LEVEL: "info",
      SWEEPER_INTERVAL_MS: "100",
      NOTIFIER_POLL_MS: "100",
      NOTIFIER_ALLOW_ADDRESSES: "127.0.0.1",
      ALLOW_HTTP_LOGOUT_URIS: "true",
    });
    primary = await run.serverPid;
    await eventually("both workers listening", () => (logLines(run).filter((l) => l.msg === "admin page").length >= 2 ? true : undefined), 60_000);
    httpPort = logLines(run).find((l) => l.httpPort !== undefined)!.httpPort as number;
  });
  after(async () => {
    try {
      run?.signalGroup("SIGKILL");
    } catch {
      // Already gone.
    }
    await receiver?.close();
    await db?.drop();
  });

  it("should serve one port from two worker processes, and count every worker's calls in /metrics", async () => {
    assert.equal(workerPids(primary).length, 2);
    const ports = new Set(logLines(run).filter((l) => l.httpPort !== undefined).map((l) => l.httpPort));
    assert.deepEqual([...ports], [httpPort], "both workers listen on the same port");
    const calls = 20;
    for (let i = 0; i < calls; i++) assert.equal((await connectCall(httpPort, "QuerySessions", {})).status, 200);
    const servedBy = new Set(logLines(run).filter((l) => l.msg === "call" && l.method === "sessionmanagement.v1.SessionManagement/QuerySessions").map((l) => l.worker));
    assert.deepEqual([...servedBy].sort(), [1, 2], "each worker served some of the calls");
    // Whichever worker answers the scrape, it counts the calls of both.
    for (let i = 0; i < 4; i++) {
      const text = await scrape(httpPort);
      assert.doesNotMatch(text, /this worker only/);
      const line = text.split("\n").find((l) => l.startsWith("grpc_server_handled_total{") && l.includes('grpc_method="QuerySessions"') && l.includes('grpc_code="OK"'));
      assert.equal(Number(line?.split(" ").at(-1)), calls, line);
    }
  });

  it("should count a termination job's work once in /metrics whichever worker ran it, and the active jobs once, not per worker", async () => {
    const sample = (text: string, name: string, labels: string) => Number(text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`))?.split(" ").at(-1));
    await createSessions(db.stores, Array.from({ length: 12 }, (_, i) => ({ subjectId: `job-${i}`, expires: new Date(Date.now() + 3_600_000), clientIds: ["job-rp"] })));
    await createSessions(db.stores, Array.from({ length: 30 }, (_, i) => ({ subjectId: `slow-${i}`, expires: new Date(Date.now() + 3_600_000), clientIds: ["slow-rp"] })));
    const started = await connectCall(httpPort, "StartTerminationJob", { idempotencyKey: "workers-metrics", filter: { clientId: "job-rp" }, actions: {} }, "SessionTermination");
    assert.equal(started.status, 200, started.body);
    await eventually("the job counted as succeeded", async () => {
      const text = await scrape(httpPort);
      return sample(text, "termination_jobs_ended_total", 'state="succeeded"') === 1 ? text : undefined;
    }, 30_000);
    for (let i = 0; i < 4; i++) {
      const text = await scrape(httpPort);
      assert.equal(sample(text, "termination_job_terminated_total", 'kind="sessions"'), 12);
      assert.equal(sample(text, "termination_jobs_ended_total", 'state="succeeded"'), 1);
    }
    const slow = await connectCall(httpPort, "StartTerminationJob", { idempotencyKey: "workers-slow", filter: { clientId: "slow-rp" }, actions: {}, sessionsPerSecond: 1 }, "SessionTermination");
    assert.equal(slow.status, 200, slow.body);
    // Both workers read the same jobs table: one running job is 1, whichever worker answers.
    await eventually("the slow job running", async () => (sample(await scrape(httpPort), "termination_jobs_active", 'state="running"') === 1 ? true : undefined), 30_000);
    for (let i = 0; i < 4; i++) assert.equal(sample(await scrape(httpPort), "termination_jobs_active", 'state="running"'), 1);
    const jobId = (JSON.parse(slow.body) as { job: { jobId: string } }).job.jobId;
    assert.equal((await connectCall(httpPort, "CancelTerminationJob", { jobId }, "SessionTermination")).status, 200);
    const settled = await scrape(httpPort);
    assert.equal(sample(settled, "termination_jobs_ended_total", 'state="cancelled"'), 1);
    assert.equal(sample(settled, "termination_jobs_active", 'state="running"'), 0);
  });

  it("should have the sweepers and notifiers of both workers notify each expired session's client exactly once", async () => {
    const expired = Array.from({ length: 40 }, (_, i) => ({ subjectId: `gone-${i}`, sessionId: `sid-${i}`, expires: new Date(Date.now() - 1000), clientIds: ["rp"] }));
    await createSessions(db.stores, expired);
    await receiver.waitFor(40, (r) => r.path === "/logout", 60_000);
    // Long enough for a second sweep or delivery by the other worker to show.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const tokens = receiver.to("/logout").map((r) => JSON.parse(Buffer.from(r.token!.split(".")[1]!, "base64url").toString()) as { sid: string; jti: string });
    assert.equal(tokens.length, 40, "one notification per session");
    assert.equal(new Set(tokens.map((t) => t.sid)).size, 40);
  });

  it("should replace a worker that dies", async () => {
    const [victim] = workerPids(primary);
    process.kill(victim!, "SIGKILL");
    await ended(victim!, 10_000);
    await eventually("a replacement worker listening", () => (logLines(run).filter((l) => l.msg === "admin page").length >= 3 ? true : undefined), 60_000);
    assert.match(run.logs(), /a worker ended unexpectedly; replacing it/);
    assert.equal(workerPids(primary).length, 2);
    assert.equal((await connectCall(httpPort, "QuerySessions", {})).status, 200);
  });

  it("should stop every process within the grace period when one worker is sent SIGTERM", async () => {
    const workers = workerPids(primary);
    process.kill(workers[0]!, "SIGTERM");
    for (const pid of [primary, ...workers]) await ended(pid, exitWithinMs);
    assert.equal(await run.exited, 0);
    const stopped = logLines(run).filter((l) => l.msg === "stopped");
    assert.equal(stopped.filter((l) => l.worker === undefined).length, 1, "the primary stopped once");
    assert.equal(stopped.filter((l) => l.worker !== undefined).length, 2, "both workers stopped cleanly");
    assert.doesNotMatch(run.logs(), /not stopped/);
  });
});

describe("npm start --workers 2 (sqlite)", () => {
  it("should refuse to start, saying SQLite allows one writer", async () => {
    const sqlite = backends.find((b) => b.name === "sqlite")!;
    const { url, remove } = await sqlite.createEmpty();
    try {
      const run = npmStart(["--port", "0", "--workers", "2"], { DATABASE_URL: url, API_KEYS_FILE: testApiKeysFile() });
      assert.notEqual(await run.exited, 0);
      assert.match(run.logs(), /--workers \(WORKERS\): 2 workers need MySQL or MariaDB/);
    } finally {
      await remove();
    }
  });
});
