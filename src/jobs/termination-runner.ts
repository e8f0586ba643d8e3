import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { isDomainError } from "../domain/errors.js";
import { addCounts, isFinalJobState, type TerminationCounts, type TerminationJob } from "../domain/termination-job.js";
import type { Stores } from "../store/stores.js";
import { recordJobEnd } from "./job-audit.js";
import { JobMovedOn, runTerminationBatch } from "./termination-batch.js";

/** How the runner works. */
export interface TerminationRunnerOptions {
  /** Time between looks for a job to run when there is none. */
  pollMs: number;
  /** Sessions per batch (one transaction); lowered to a job's rate per second when that is smaller. */
  batchSize: number;
  /** How long a lease lasts without a committed batch; another instance takes the job over after it. */
  leaseMs: number;
  /** Consecutive failures of a batch, other than the database being unavailable, after which the job fails. */
  maxFailures: number;
}

/** What the runner works with. */
export interface TerminationRunnerDeps {
  stores: Pick<Stores, "transaction" | "jobs">;
  logger: Logger;
  /** Woken after a batch queued notifications, so that delivery starts at once. */
  notifier: { wake(): void };
  /** This instance's name in leases; unique by default. */
  owner?: string;
  now?: () => Date;
  /** Told about each committed batch, for metrics and tests. */
  onBatch?: (job: TerminationJob, sessions: number) => void;
  /** Told what the runner does, for metrics. */
  observer?: TerminationRunnerObserver;
}

/** What the runner reports as it goes (the server's metrics). */
export interface TerminationRunnerObserver {
  /** A batch committed: what it terminated, and the time from its start to its commit. */
  batch(counts: TerminationCounts, seconds: number): void;
  /** A batch failed and is retried (or the job fails). */
  batchFailed(): void;
  /** This runner ended a job: it finished its walk, or failed. */
  ended(state: "succeeded" | "failed"): void;
}

/** Runs termination jobs, one at a time, on this instance. */
export interface TerminationRunner {
  readonly owner: string;
  /** Looks for jobs now, then every `pollMs`. */
  start(): void;
  /** Looks for a job now (a job was just started). */
  wake(): void;
  /** Stops after the batch in flight and gives the lease up, so another instance carries the job on at once. */
  stop(): Promise<void>;
}

/**
 * Creates the job runner. It claims an active job whose lease is free or
 * expired by a conditional UPDATE, then runs its batches (see
 * runTerminationBatch) at the job's rate, each batch renewing the lease,
 * until the walk is complete, the job is cancelled or taken over, or the
 * runner stops. A database outage pauses the job (retried with backoff,
 * still leased); after a crash the lease expires and any instance carries
 * the job on from its last committed batch.
 */
export function createTerminationRunner(options: TerminationRunnerOptions, deps: TerminationRunnerDeps): TerminationRunner {
  const now = deps.now ?? (() => new Date());
  const owner = deps.owner ?? `${hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`;
  const leaseUntil = () => new Date(now().getTime() + options.leaseMs);
  let stopping = false;
  let started = false;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  // Waits `ms`, or less when woken or stopping.
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const runJob = async (initial: TerminationJob): Promise<void> => {
    let job = initial;
    let failures = 0;
    const rate = job.definition.sessionsPerSecond;
    const limit = Math.max(1, Math.min(options.batchSize, rate));
    const paceStart = performance.now();
    let paced = 0;
    deps.logger.info({ jobId: job.id, cursorPk: job.cursorPk, owner }, "termination job running");
    while (!stopping && !isFinalJobState(job.state)) {
      try {
        const batchStarted = performance.now();
        const result = await runTerminationBatch(deps.stores, job, owner, limit, now(), leaseUntil());
        deps.observer?.batch(result.counts, (performance.now() - batchStarted) / 1000);
        failures = 0;
        job = { ...job, state: result.done ? "succeeded" : "running", cursorPk: result.cursorPk, progress: addCounts(job.progress, result.counts), batches: job.batches + 1 };
        deps.onBatch?.(job, result.counts.sessions);
        if (result.counts.notifications > 0) deps.notifier.wake();
        if (result.done) {
          deps.observer?.ended("succeeded");
          deps.logger.info({ jobId: job.id, ...job.progress, batches: job.batches }, "termination job succeeded");
          return;
        }
        paced += result.counts.sessions;
        const ahead = paceStart + (paced * 1000) / rate - performance.now();
        if (ahead > 0) await pause(ahead);
      } catch (err) {
        if (err instanceof JobMovedOn) {
          deps.logger.info({ jobId: job.id }, "termination job cancelled or taken over elsewhere");
          return;
        }
        const transient = isDomainError(err) && (err.code === "unavailable" || err.code === "deadline_exceeded");
        failures++;
        deps.observer?.batchFailed();
        deps.logger.warn({ err, jobId: job.id, failures }, "termination batch failed; retrying");
        if (!transient && failures >= options.maxFailures) {
          await failJob(job, err).catch((error: unknown) => deps.logger.error({ err: error, jobId: job.id }, "termination job not marked failed"));
          return;
        }
        await pause(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  };

  const failJob = async (job: TerminationJob, err: unknown) => {
    const message = isDomainError(err) ? err.message : "internal error (see the server log)";
    const ended = await deps.stores.transaction(async (tx) => {
      if (!(await tx.jobs.fail(job.id, owner, message, now()))) return false;
      const failed = await tx.jobs.get(job.id);
      if (failed) await recordJobEnd(tx.audit, failed);
      return true;
    });
    if (ended) deps.observer?.ended("failed");
    deps.logger.error({ err, jobId: job.id }, "termination job failed");
  };

  // Claims one job and runs it; returns whether there was one.
  const runNext = async (): Promise<boolean> => {
    for (const id of await deps.stores.jobs.claimable(now(), 10)) {
      if (stopping) return false;
      if (!(await deps.stores.jobs.claim(id, owner, now(), leaseUntil()))) continue;
      const job = await deps.stores.jobs.get(id);
      try {
        if (job !== undefined) await runJob(job);
      } finally {
        // Stopping (or an error) leaves the job to the next instance at once.
        await deps.stores.jobs.release(id, owner).catch(() => undefined);
      }
      return true;
    }
    return false;
  };

  const run = async () => {
    while (!stopping) {
      let ran = false;
      try {
        ran = await runNext();
      } catch (err) {
        deps.logger.warn({ err }, "termination jobs: could not claim a job; retrying");
      }
      if (!ran && !stopping) await pause(options.pollMs);
    }
  };

  return {
    owner,
    start() {
      if (started) return;
      started = true;
      loop = run();
    },
    wake() {
      wakeUp?.();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
    },
  };
}
