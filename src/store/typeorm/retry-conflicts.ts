import { isDomainError, unavailable } from "../../domain/errors.js";
import { isRetryableTransactionError } from "./driver-errors.js";

// Concurrent work queues (sweepers, notifiers) and removals deleting
// neighbouring rows can deadlock on InnoDB's next-key reads, repeatedly while
// they run in step; on a multi-primary cluster (Galera, Group Replication)
// writes from two nodes to the same rows conflict at commit and surface as the
// same deadlock error. Backing off exponentially with full jitter breaks the step.
const attempts = 8;
const retryBaseMs = 10;

/** Work items run, conflicts retried and work items that gave up, since start (for benchmarks and tests). */
export const conflictCounters = { runs: 0, retried: 0, exhausted: 0 };

/**
 * Runs `work` and runs it again, after a jittered exponential backoff, while
 * it fails with a conflict that a fresh attempt may not meet (deadlock, lock
 * wait timeout, a cluster's certification failure, SQLite busy), up to 8
 * attempts. Such a failure rolled back everything `work` wrote, so `work`
 * must only be idempotent in what it does outside the database: nothing.
 */
export async function retryConflicts<T>(work: () => Promise<T>): Promise<T> {
  conflictCounters.runs++;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (!isRetryableTransactionError(cause)) throw error;
      if (attempt >= attempts) {
        conflictCounters.exhausted++;
        // Still conflicting after every attempt: busy, so UNAVAILABLE (retry later), never INTERNAL.
        throw isDomainError(error) ? error : unavailable(error);
      }
      conflictCounters.retried++;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * retryBaseMs * 2 ** attempt));
    }
  }
}
