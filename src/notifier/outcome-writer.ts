import type { AttemptOutcome, ClaimedNotification, NotificationOutbox } from "../store/notification-outbox.js";

/**
 * Writes the outcomes of delivery attempts to the outbox. A notification that
 * reached its relying party must not be sent again because the database was
 * briefly unreachable when its outcome was to be written: failed writes are
 * tried again, with backoff, for as long as the claim is still ours.
 */
export interface OutcomeWriter {
  /**
   * Records the outcome and ends the claim. Resolves true once written, false
   * when the claim was lost (its lease ran out and another instance claimed
   * the row). Rejects with the last error only when writes still fail at the
   * deadline set by `giveUpAt`.
   */
  write(claim: ClaimedNotification, outcome: AttemptOutcome): Promise<boolean>;
  /**
   * Runs a claim of due rows and returns the claims to attempt: rows whose
   * outcome is still being written (their lease ran out during an outage and
   * this instance claimed them again) are taken out, and their outcome is
   * written under the new claim instead of being attempted again.
   */
  claim(run: () => Promise<ClaimedNotification[]>): Promise<ClaimedNotification[]>;
  /** Outcomes not written yet. */
  pending(): number;
  /** Failed writes are given up after `deadline` (ms since the epoch); writes waiting to try again try now. */
  giveUpAt(deadline: number): void;
}

/** How failed writes are tried again. */
export interface OutcomeWriterOptions {
  /** Wait before the second try, doubling per try up to `retryMaxMs` (with jitter). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Told of each failed write that will be tried again. */
  onRetry?: (claim: ClaimedNotification, error: unknown, tries: number) => void;
  random?: () => number;
}

/** An outcome writer over the outbox. */
export function createOutcomeWriter(outbox: NotificationOutbox, options: OutcomeWriterOptions): OutcomeWriter {
  const random = options.random ?? Math.random;
  // Claims whose outcome is being written, by row id: a claim of this
  // instance that takes one of these rows over replaces the claim here.
  const writing = new Map<number, { claim: ClaimedNotification }>();
  const sleepers = new Set<() => void>();
  let deadline = Number.POSITIVE_INFINITY;
  let claiming: Promise<unknown> | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  const writeOnce = async (entry: { claim: ClaimedNotification }, outcome: AttemptOutcome): Promise<boolean> => {
    const used = entry.claim;
    if (await outbox.recordOutcome(used, outcome)) return true;
    // The row was claimed again. If this instance's claim did it, that claim
    // is still being sorted out or has already handed the row over.
    while (claiming !== undefined) await claiming.catch(() => undefined);
    return entry.claim === used ? false : writeOnce(entry, outcome);
  };

  return {
    async write(claim, outcome) {
      const entry = { claim };
      writing.set(claim.id, entry);
      try {
        for (let tries = 1, delay = options.retryBaseMs; ; tries++, delay = Math.min(2 * delay, options.retryMaxMs)) {
          try {
            return await writeOnce(entry, outcome);
          } catch (error) {
            if (Date.now() >= deadline) throw error;
            options.onRetry?.(entry.claim, error, tries);
            await pause(Math.min(delay * (0.5 + random() / 2), deadline - Date.now()));
          }
        }
      } finally {
        writing.delete(claim.id);
      }
    },
    async claim(run) {
      const round = run().then((claims) => claims.filter((claim) => !adopt(claim)));
      claiming = round;
      try {
        return await round;
      } finally {
        if (claiming === round) claiming = undefined;
      }
    },
    pending: () => writing.size,
    giveUpAt(at) {
      deadline = at;
      for (const wake of [...sleepers]) wake();
    },
  };

  function adopt(claim: ClaimedNotification): boolean {
    const entry = writing.get(claim.id);
    if (entry === undefined) return false;
    entry.claim = claim;
    return true;
  }
}
