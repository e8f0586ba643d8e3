import type { Logger } from "pino";
import { isDomainError } from "../domain/errors.js";
import { terminateSelected, type TerminationRequest } from "../service/terminate-sessions.js";
import type { Stores } from "../store/stores.js";

// Instances claim batches with SKIP LOCKED and must not block each other on
// the gaps next to the rows they delete (see TransactionOptions).
const workQueue = { isolation: "read-committed" } as const;

/** How the sweeper works. */
export interface SweeperOptions {
  /** Time between the end of one sweep and the start of the next. */
  intervalMs: number;
  /** Sessions (and grants) removed per transaction. */
  batchSize: number;
  /** Revoke the token grants bound to each expired session. */
  revokeTokens: boolean;
  /** Queue back-channel logout notifications (reason: expired) to each expired session's clients. */
  notify: boolean;
  /** Expired and consumed grants are removed this long after they expired or were consumed. */
  grantRetentionMs: number;
  /** Delivered logout notifications are removed this long after delivery (failed and dead ones stay). */
  notificationRetentionMs: number;
}

/** What one sweep removed. */
export interface SweepCounts {
  sessionsRemoved: number;
  tokensRevoked: number;
  notificationsQueued: number;
  grantsRemoved: number;
  /** Delivered logout notifications past their retention. */
  notificationsRemoved: number;
  /** Transactions that removed something. */
  batches: number;
}

/** Removes expired sessions and stale grants, now or on a schedule. */
export interface Sweeper {
  /**
   * Runs one sweep: removes, batch by batch, every session that had expired
   * when it started (other instances may take some of them), then the grants
   * past their retention. Stops between batches when stop() is called.
   */
  sweep(): Promise<SweepCounts>;
  /** Sweeps every `intervalMs`, the first time one interval from now. */
  start(): void;
  /** Stops the schedule and waits for a running sweep to finish its batch and stop. */
  stop(): Promise<void>;
}

/** What the sweeper works with. */
export interface SweeperDeps {
  stores: Pick<Stores, "transaction">;
  logger: Logger;
  now?: () => Date;
  /** Woken after a batch queued notifications, so that delivery starts at once. */
  notifier: { wake(): void };
  /** Told what each scheduled sweep removed, for metrics. */
  onSweep?: (counts: SweepCounts) => void;
}

/**
 * Creates the expired-session sweeper. Each batch claims the sessions with
 * the earliest expiry (SELECT … FOR UPDATE SKIP LOCKED on MySQL; SQLite has
 * a single writer) and terminates them in the same transaction, through the
 * path RemoveSessions uses, with reason "expired". A session is therefore
 * removed, revoked and notified exactly once however many instances sweep:
 * a claimed session stays locked until its batch commits or rolls back.
 */
export function createSweeper(options: SweeperOptions, deps: SweeperDeps): Sweeper {
  const now = deps.now ?? (() => new Date());
  const request: TerminationRequest = {
    removeServerSideSession: true,
    revokeTokens: options.revokeTokens,
    revokeConsents: false,
    sendBackchannelLogoutNotification: options.notify,
  };
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<Promise<unknown>>();

  const sweepOnce = async (): Promise<SweepCounts> => {
    const started = now();
    const counts: SweepCounts = { sessionsRemoved: 0, tokensRevoked: 0, notificationsQueued: 0, grantsRemoved: 0, notificationsRemoved: 0, batches: 0 };
    // A batch that finds nothing ends the phase: what is left is either gone
    // or held by another instance, which finishes it.
    while (!stopping) {
      const outcome = await deps.stores.transaction(
        async (tx) => terminateSelected(tx, await tx.sessions.claimExpired(started, options.batchSize), request, "expired", now()),
        workQueue,
      );
      if (outcome.sessionsRemoved === 0) break;
      counts.batches++;
      counts.sessionsRemoved += outcome.sessionsRemoved;
      counts.tokensRevoked += outcome.tokensRevoked;
      counts.notificationsQueued += outcome.notificationsQueued;
      if (outcome.notificationsQueued > 0) deps.notifier.wake();
    }
    const staleBefore = new Date(started.getTime() - options.grantRetentionMs);
    while (!stopping) {
      const removed = await deps.stores.transaction((tx) => tx.grants.removeStale(staleBefore, options.batchSize), workQueue);
      if (removed === 0) break;
      counts.batches++;
      counts.grantsRemoved += removed;
    }
    const deliveredBefore = new Date(started.getTime() - options.notificationRetentionMs);
    while (!stopping) {
      const removed = await deps.stores.transaction((tx) => tx.outbox.removeDelivered(deliveredBefore, options.batchSize), workQueue);
      if (removed === 0) break;
      counts.batches++;
      counts.notificationsRemoved += removed;
    }
    return counts;
  };

  const sweep = (): Promise<SweepCounts> => {
    const sweeping = sweepOnce();
    const settled = sweeping.catch(() => undefined).finally(() => running.delete(settled));
    running.add(settled);
    return sweeping;
  };

  const run = async () => {
    const started = performance.now();
    try {
      const counts = await sweep();
      deps.onSweep?.(counts);
      const level = counts.batches > 0 ? "info" : "debug";
      deps.logger[level]({ ...counts, ms: Math.round(performance.now() - started) }, "sweep finished");
    } catch (err) {
      // The next sweep tries again; whatever a failed batch held was rolled back.
      if (isDomainError(err) && err.code === "unavailable") deps.logger.warn({ err }, "sweep stopped: database unavailable");
      else deps.logger.error({ err }, "sweep failed");
    }
  };

  const schedule = () => {
    if (stopping) return;
    timer = setTimeout(() => void run().finally(schedule), options.intervalMs);
  };

  return {
    sweep,
    start: schedule,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await Promise.all(running);
    },
  };
}
