import type { JobState, TerminationCounts, TerminationJob } from "../domain/termination-job.js";

/** A job to record; counts, cursor and lease start empty. */
export type NewTerminationJob = Pick<TerminationJob, "id" | "idempotencyKey" | "definition" | "createdBy" | "created">;

/** One committed batch of a job's walk. */
export interface JobAdvance {
  id: string;
  /** The instance holding the lease. */
  owner: string;
  /** The cursor the batch started from: the advance applies only if the job is still there. */
  fromPk: number;
  toPk: number;
  counts: TerminationCounts;
  /** Whether the walk is complete: the job succeeds. */
  done: boolean;
  now: Date;
  leaseExpiresAt: Date;
}

/**
 * Durable termination jobs. Every change of state is one conditional UPDATE
 * (no row locks held across statements), so that instances on different
 * primaries of a multi-primary cluster certify against each other.
 */
export interface TerminationJobStore {
  /**
   * Records a job, or returns the one recorded with the same idempotency key
   * (`created` false).
   */
  create(job: NewTerminationJob): Promise<{ job: TerminationJob; created: boolean }>;
  get(id: string): Promise<TerminationJob | undefined>;
  /** Up to `limit` jobs older than the job `beforeId` (all when undefined), newest first, optionally in one state. */
  list(limit: number, beforeId?: string, state?: JobState): Promise<TerminationJob[]>;
  /**
   * Cancels a pending or running job; returns false when it is over or
   * unknown. A batch in flight then fails to advance and rolls back.
   */
  cancel(id: string, by: string, now: Date): Promise<boolean>;
  /** Ids of active jobs whose lease is free or has expired, oldest first. */
  claimable(now: Date, limit: number): Promise<string[]>;
  /** Takes the lease of an active job that is free, expired or already ours; returns whether we hold it. */
  claim(id: string, owner: string, now: Date, leaseExpiresAt: Date): Promise<boolean>;
  /** Extends a lease we hold; false when we no longer hold it. */
  renew(id: string, owner: string, leaseExpiresAt: Date): Promise<boolean>;
  /** Gives a lease up so that another instance can carry the job on at once. */
  release(id: string, owner: string): Promise<void>;
  /**
   * Records a batch: moves the cursor, adds the counts, renews the lease,
   * and ends the job when `done`. Applies only if the job is active, leased
   * to `owner` and still at `fromPk`; returns whether it applied. Run it in
   * the batch's transaction, so that the batch commits only with it.
   */
  advance(step: JobAdvance): Promise<boolean>;
  /** Ends an active job we hold as failed. */
  fail(id: string, owner: string, error: string, now: Date): Promise<boolean>;
  /** How many jobs are waiting to start (pending) and under way (running), for metrics. */
  countActive(): Promise<Record<"pending" | "running", number>>;
}
