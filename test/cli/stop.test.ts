import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { ended, isRunning, npmStart, type NpmStart } from "../support/npm-start.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { testApiKeysFile } from "../support/test-credentials.js";

const [sqlite] = await testBackends();
const graceMs = 2000;
// The server promises to exit within the grace period plus a few seconds;
// the rest is room for a loaded machine, far below "never" or "minutes".
const exitWithinMs = graceMs + 3000 + 10_000;

describe("stopping `npm start`", () => {
  const runs: NpmStart[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const run of runs) {
      try {
        run.signalGroup("SIGKILL");
      } catch {
        // Already gone.
      }
    }
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** `npm start` on a fresh SQLite database with the test credentials. */
  const start = async (env: NodeJS.ProcessEnv = {}) => {
    const db = await sqlite!.open();
    cleanups.push(() => db.drop());
    const run = npmStart(["--port", "0", "--http-port", "0", "--shutdown-grace-ms", String(graceMs)], {
      DATABASE_URL: db.url,
      API_KEYS_FILE: testApiKeysFile(),
      LOG_LEVEL: "info",
      ...env,
    });
    runs.push(run);
    return { db, run, pid: await run.serverPid };
  };
  const stops = (logs: string) => logs.split("\n").filter((line) => line.includes('"msg":"stopped"')).length;

  it("should stop the server when npm is sent SIGTERM", async () => {
    const { run, pid } = await start();
    process.kill(run.npm.pid!, "SIGTERM");
    await ended(pid, exitWithinMs);
    assert.equal(stops(run.logs()), 1, run.logs());
  });

  it("should stop the server when npm dies without passing a signal on (SIGKILL)", async () => {
    const { run, pid } = await start();
    process.kill(run.npm.pid!, "SIGKILL");
    await ended(pid, exitWithinMs);
    assert.match(run.logs(), /"reason":"the parent process exited"/);
    assert.equal(stops(run.logs()), 1, run.logs());
  });

  it("should stop when the server itself is sent SIGTERM, and npm with it", async () => {
    const { run, pid } = await start();
    process.kill(pid, "SIGTERM");
    await ended(pid, exitWithinMs);
    assert.equal(await run.exited, 0);
    assert.equal(stops(run.logs()), 1, run.logs());
  });

  it("should stop once, in time, on Ctrl-C with deliveries in flight, recording them as attempts to retry", async () => {
    const receiver: LogoutReceiver = await startReceiver();
    cleanups.push(() => receiver.close());
    // A relying party that accepts the connection and never answers.
    receiver.on("/hang", () => "hang");
    const { db, run, pid } = await start({
      NOTIFIER_ALLOW_ADDRESSES: "127.0.0.1",
      ALLOW_HTTP_LOGOUT_URIS: "true",
      NOTIFIER_TIMEOUT_MS: "60000",
      NOTIFIER_PER_DESTINATION: "4",
      NOTIFIER_POLL_MS: "200",
    });
    await queueFor(db, receiver.url("/hang"), 10);
    await receiver.waitFor(4, (r) => r.path === "/hang");

    run.signalGroup("SIGINT");
    const tookMs = await ended(pid, exitWithinMs);
    console.log(`the server ended ${tookMs} ms after Ctrl-C (grace period ${graceMs} ms)`);
    assert.equal(stops(run.logs()), 1, run.logs());
    assert.doesNotMatch(run.logs(), /not stopped/);
    assert.ok(!isRunning(pid));

    const rows = await db.stores.outbox.list({ clientId: "rp" }, 20);
    const attempted = rows.filter((row) => row.attempts > 0);
    assert.equal(attempted.length, receiver.to("/hang").length, "every attempt that reached the relying party is recorded");
    for (const row of attempted) {
      assert.equal(row.status, "failed");
      assert.equal(row.attempts, 1);
      assert.match(row.lastError ?? "", /abandoned: the server stopped/);
    }
    // The others were given back untouched.
    for (const row of rows.filter((r) => r.attempts === 0)) assert.equal(row.status, "pending");
    assert.ok(rows.every((row) => row.nextAttemptAt !== undefined && row.nextAttemptAt.getTime() <= Date.now()), "all due again");
  });
});

/** Queues `count` notifications to a client whose back-channel logout URI is `uri`. */
async function queueFor(db: TestDatabase, uri: string, count: number): Promise<void> {
  await db.stores.clients.put({ clientId: "rp", enabled: true, backchannelLogoutUri: uri, backchannelLogoutSessionRequired: true });
  const planned = Array.from({ length: count }, (_, i) => ({ clientId: "rp", subjectId: `s-${i}`, sessionId: `sid-${i}`, issuer: "https://idp.example.com", reason: "admin_removal" as const }));
  await db.stores.outbox.enqueue(planned, new Date());
}
