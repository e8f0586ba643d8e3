import type { TerminationJob } from "../domain/termination-job.js";
import type { AuditLog } from "../store/audit-log.js";

/** The audit trail's method name for the end of a termination job (no RPC of its own). */
export const jobEndedMethod = "sessionmanagement.v1.SessionTermination/TerminationJobEnded";

/**
 * Records a job's end in the audit trail, on behalf of the credential that
 * started it: its id and definition as the request, its final state as the
 * code, its counts as the outcome. Written in the transaction that ends the
 * job, so that it is recorded exactly once.
 */
export async function recordJobEnd(audit: AuditLog, job: TerminationJob): Promise<void> {
  await audit.record({
    at: job.ended ?? job.updated,
    principalId: job.createdBy,
    method: jobEndedMethod,
    requestJson: JSON.stringify({ jobId: job.id, idempotencyKey: job.idempotencyKey, definition: job.definition }),
    code: job.state === "succeeded" ? "OK" : job.state.toUpperCase(),
    outcomeJson: JSON.stringify({ state: job.state, progress: job.progress, batches: job.batches, error: job.error, cancelledBy: job.cancelledBy }),
  });
}
