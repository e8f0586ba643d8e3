import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { grpcServiceClient } from "../support/grpc-client.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { countRows, duplicateNotifications, seedTerminationWorld } from "../support/termination-world.js";

const mysql = (await testBackends()).find((b) => b.name === "mysql")!;

// Separate server processes sharing one MariaDB database, as instances of a deployment do.
describe("termination jobs across instances (mysql)", { skip: mysql.skip }, () => {
  let db: TestDatabase;
  const processes: ServerProcess[] = [];
  const instance = () => {
    const started = startServerProcess({
      DATABASE_URL: db.url,
      PORT: "0",
      HTTP_PORT: "0",
      NOTIFIER: "false",
      SWEEPER: "false",
      LOG_LEVEL: "info",
      TERMINATION_LEASE_MS: "1000",
      TERMINATION_BATCH_SIZE: "100",
      TERMINATION_POLL_MS: "50",
    });
    processes.push(started);
    return started;
  };
  const jobOf = async (id: string) => (await db.stores.jobs.get(id))!;

  before(async () => {
    db = await mysql.open();
  });
  after(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await Promise.all(processes.map((p) => p.exited));
    await db?.drop();
  });

  for (const [signal, what] of [
    ["SIGKILL", "after the instance running it is killed, once its lease expires"],
    ["SIGTERM", "at once after the instance running it stops gracefully and gives its lease up"],
  ] as const) {
    it(`should carry a job on from another instance ${what}, terminating and notifying each session once`, async () => {
      await db.database.dataSource.query("DELETE FROM logout_notifications");
      const world = await seedTerminationWorld(db.stores, 3000, signal);
      const first = instance();
      const client = grpcServiceClient(await first.port, "session_termination.proto", "SessionTermination", ["StartTerminationJob"]);
      let jobId: string;
      try {
        const started = await client.startTerminationJob({ idempotency_key: `crash-${signal}`, filter: { all_sessions: true }, sessions_per_second: 500 });
        jobId = started.job.job_id;
      } finally {
        client.close();
      }
      await eventually("the first instance's progress", async () => ((await jobOf(jobId)).progress.sessions >= 600 ? true : undefined));
      first.child.kill(signal);
      await first.exited;
      const stopped = await jobOf(jobId);
      assert.equal(stopped.state, "running");
      assert.ok(stopped.progress.sessions < 3000, "the first instance did not finish the job");
      if (signal === "SIGTERM") assert.equal(stopped.leaseOwner, undefined, "a graceful stop gives the lease up");
      else assert.ok(stopped.leaseOwner !== undefined, "a killed instance leaves its lease to expire");

      const second = instance();
      await second.port;
      const ended = await eventually("the job to end on the second instance", async () => {
        const job = await jobOf(jobId);
        return job.state === "running" || job.state === "pending" ? undefined : job;
      }, 60_000);
      assert.equal(ended.state, "succeeded");
      assert.deepEqual(ended.progress, { sessions: 3000, tokens: 3000, consents: 0, notifications: world.notifications });
      assert.equal(await countRows(db.database, "server_side_sessions"), 0);
      assert.equal(await countRows(db.database, "logout_notifications"), world.notifications);
      assert.equal(await duplicateNotifications(db.database), 0);
      second.child.kill("SIGTERM");
      await second.exited;
    });
  }
});
