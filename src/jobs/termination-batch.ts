import { isFinalJobState, type TerminationCounts, type TerminationJob } from "../domain/termination-job.js";
import { jobSessionFilter } from "../service/job-filter.js";
import { terminateSelected, type TerminationRequest } from "../service/terminate-sessions.js";
import type { Stores } from "../store/stores.js";
import { recordJobEnd } from "./job-audit.js";

// Batches lock the sessions they terminate, not the gaps between them, so
// that identity providers recording new sessions meanwhile never wait on a job.
const noGapLocks = { isolation: "read-committed" } as const;

/** Raised inside a batch's transaction when the job moved on without us: the batch rolls back. */
export class JobMovedOn extends Error {
  override name = "JobMovedOn";
}

/** What one committed batch did. */
export interface BatchResult {
  counts: TerminationCounts;
  done: boolean;
  /** The job's cursor after the batch. */
  cursorPk: number;
}

/** The termination request a job's definition makes of every batch. */
export function jobTerminationRequest(job: TerminationJob): TerminationRequest {
  const { clientIds, ...flags } = job.definition.actions;
  // No subject or session selector: tokens are revoked by binding to each
  // terminated session, consents per session's subject and clients.
  return { ...flags, clientIds: clientIds && new Set(clientIds) };
}

/**
 * Runs one batch of a job in one transaction: renews the lease, locks the next `limit`
 * matching sessions after the job's cursor (and not beyond its bound), runs
 * the RemoveSessions termination on them, then advances the job's cursor and
 * counts by a conditional UPDATE that applies only while this instance holds
 * the lease and the job is still where the batch started. If it does not
 * apply (cancelled, taken over, advanced by someone else), everything rolls
 * back: each session is terminated, and each notification queued, exactly
 * once, and the counts are the sums of committed batches.
 */
export async function runTerminationBatch(
  stores: Pick<Stores, "transaction">,
  job: TerminationJob,
  owner: string,
  limit: number,
  now: Date,
  leaseExpiresAt: Date,
): Promise<BatchResult> {
  const definition = job.definition;
  const filter = jobSessionFilter(definition);
  const lastPk = definition.includeNewSessions ? undefined : definition.lastPk;
  return stores.transaction(async (tx) => {
    // First the job's row, so that a batch which would not count stops at
    // once, and one that goes on holds the row: an instance taking the lease
    // over meanwhile waits for the batch to end (on a multi-primary cluster,
    // the advance below fails certification instead).
    if (!(await tx.jobs.renew(job.id, owner, leaseExpiresAt))) throw new JobMovedOn(`job ${job.id} was cancelled or taken over`);
    const sessions = await tx.sessions.findBatchForTermination(filter, job.cursorPk, lastPk, limit);
    const outcome = await terminateSelected(tx, sessions, jobTerminationRequest(job), "admin_removal", now);
    const counts = {
      sessions: sessions.length,
      tokens: outcome.tokensRevoked,
      consents: outcome.consentsRevoked,
      notifications: outcome.notificationsQueued,
    };
    const cursorPk = sessions.at(-1)?.pk ?? job.cursorPk;
    const done = sessions.length < limit;
    const advanced = await tx.jobs.advance({ id: job.id, owner, fromPk: job.cursorPk, toPk: cursorPk, counts, done, now, leaseExpiresAt });
    if (!advanced) throw new JobMovedOn(`job ${job.id} was cancelled, taken over or advanced elsewhere`);
    if (done) {
      const ended = await tx.jobs.get(job.id);
      if (ended !== undefined && isFinalJobState(ended.state)) await recordJobEnd(tx.audit, ended);
    }
    return { counts, done, cursorPk };
  }, noGapLocks);
}
