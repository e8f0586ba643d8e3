import type { Logger } from "pino";
import type { RetrySchedule } from "../domain/retry-schedule.js";
import type { Client } from "../store/client-store.js";
import type { AttemptOutcome, ClaimedNotification } from "../store/notification-outbox.js";
import type { Stores } from "../store/stores.js";
import { attemptOutcome } from "./attempt-outcome.js";
import { backlogFactor, createDeliveryQueue } from "./delivery-queue.js";
import { deliveryTarget, type DeliveryTarget } from "./delivery-target.js";
import type { DeliveryTracing } from "./delivery-tracing.js";
import type { LogoutPoster, PostResult } from "./logout-poster.js";
import type { LogoutTokenMinter } from "./logout-token.js";
import { createOutcomeWriter } from "./outcome-writer.js";

/** The running outbox dispatcher. */
export interface Dispatcher {
  /** Looks for due notifications now instead of at the next poll (call after queuing some). */
  wake(): void;
  /**
   * Stops claiming, gives back what is claimed but not started, lets attempts
   * in flight finish within `graceMs` (the configured grace period by
   * default), then aborts the rest, wherever they are (DNS lookup, connect,
   * waiting for the answer), and records them as failed attempts to retry.
   * Outcomes get `outcomeWriteMs` more to be written; what is still unwritten
   * then comes back when its lease runs out. Resolves by then at the latest.
   */
  stop(graceMs?: number): Promise<void>;
  /** Work not finished yet, for the log of a stop that overruns. */
  pending(): { attempts: number; unwrittenOutcomes: number };
}

/** How the dispatcher works. */
export interface DispatcherOptions {
  /** Attempts in flight at once, in all. */
  concurrency: number;
  /** Attempts in flight at once to one destination (scheme, host, port). */
  perDestination: number;
  /** The poster's per-attempt timeout; leases are sized from it. */
  timeoutMs: number;
  /** Longest wait between looks at the outbox when nothing wakes the dispatcher. */
  pollMs: number;
  schedule: RetrySchedule;
  /** How long attempts in flight may finish when stopping. */
  stopGraceMs: number;
}

/** What the dispatcher works with. */
export interface DispatcherDeps {
  stores: Stores;
  minter: LogoutTokenMinter;
  poster: LogoutPoster;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
  /** Told how each attempt ended ("lost": its claim ran out before the outcome was written), for metrics. */
  onAttempt?: (outcome: AttemptOutcome["status"] | "lost") => void;
  /** Spans around attempts, when tracing is on. */
  tracing?: DeliveryTracing;
}

// Between claiming a row and starting its attempt (queueing aside), and
// between the end of an attempt and its outcome being written.
const leaseMarginMs = 5000;
// Claims and give-backs must not wait for rows other instances hold.
const readCommitted = { isolation: "read-committed" } as const;
/** After the stop's grace period, how long outcomes (the aborted attempts' included) may take to be written. */
export const outcomeWriteMs = 1000;
// Failed outcome writes are tried again after this, doubling up to the max.
const writeRetryBaseMs = 100;
const writeRetryMaxMs = 2000;
const abandonedError = "abandoned: the server stopped before the relying party answered";

interface Held {
  claim: ClaimedNotification;
  client: Client;
  target: DeliveryTarget;
  leaseEnds: number;
}

/**
 * Starts delivering the outbox: claims due rows (leased, so several instances
 * share the work and a dead instance's rows come back), looks each client up,
 * queues the rows per destination, and for each attempt mints a fresh token,
 * POSTs it and records the outcome. Claims are sized so that every claimed
 * row starts well before its lease runs out; a row that would not is given
 * back instead of being sent late.
 */
export function startDispatcher(deps: DispatcherDeps, options: DispatcherOptions): Dispatcher {
  const now = deps.now ?? (() => new Date());
  const { stores, logger } = deps;
  const leaseMs = backlogFactor * options.timeoutMs + leaseMarginMs;
  const queue = createDeliveryQueue<Held>(options);
  const destinationOf = new Map<string, string>();
  const running = new Set<Promise<void>>();
  // One per attempt in flight: a signal shared by every attempt would collect
  // an abort listener per request (Node warns past ten).
  const inFlight = new Set<AbortController>();
  let abandoned = false;
  const writer = createOutcomeWriter(stores.outbox, {
    retryBaseMs: writeRetryBaseMs,
    retryMaxMs: writeRetryMaxMs,
    random: deps.random,
    onRetry: (claim, err, tries) => {
      if (tries === 1) logger.warn({ err, delivery: claim.id }, "writing a logout notification outcome failed; trying again while the claim is ours");
    },
  });
  let stopping = false;
  let nudged = false;
  // Whether the last claim was cut short by the capacity left, so that
  // finishing attempts make room for more due rows.
  let saturated = false;
  let endWait: (() => void) | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let wakeAt = Number.POSITIVE_INFINITY;

  const nudge = () => {
    nudged = true;
    endWait?.();
  };
  // Ends the current wait at `at` if that is sooner than planned: a retry
  // scheduled sooner than the next poll is attempted on time.
  const wakeBy = (at: number) => {
    if (endWait === undefined || at >= wakeAt) return;
    clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = setTimeout(() => endWait?.(), Math.max(0, at - Date.now()));
    wakeTimer.unref();
  };
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (nudged || stopping) return resolve();
      endWait = () => {
        clearTimeout(wakeTimer);
        wakeAt = Number.POSITIVE_INFINITY;
        endWait = undefined;
        resolve();
      };
      wakeBy(Date.now() + ms);
    });

  const release = async (claims: ClaimedNotification[]) => {
    if (claims.length > 0) await stores.transaction((tx) => tx.outbox.release(claims, now()), readCommitted);
  };

  const record = async (claim: ClaimedNotification, outcome: AttemptOutcome, host: string | undefined, startedAt: number) => {
    const recorded = await writer.write(claim, outcome);
    const fields = {
      delivery: claim.id,
      client: claim.clientId,
      host,
      attempt: claim.attempts + 1,
      status: outcome.status,
      statusCode: outcome.statusCode,
      error: outcome.status === "delivered" ? undefined : outcome.error,
      latencyMs: Math.round(performance.now() - startedAt),
    };
    deps.onAttempt?.(recorded ? outcome.status : "lost");
    if (recorded && outcome.status === "failed") wakeBy(outcome.nextAttemptAt.getTime());
    if (!recorded) logger.warn(fields, "logout notification attempt ended after its claim was lost; outcome not recorded");
    else if (outcome.status === "delivered") logger.info(fields, "logout notification attempt");
    else logger.warn(fields, "logout notification attempt");
  };

  const attempt = async ({ claim, client, target, leaseEnds }: Held) => {
    if (now().getTime() + options.timeoutMs + leaseMarginMs / 2 > leaseEnds) return release([claim]);
    const startedAt = performance.now();
    const minted = await deps.minter.mint(claim, client, now());
    if ("error" in minted) return record(claim, { status: "dead", at: now(), error: minted.error }, target.host, startedAt);
    const abort = new AbortController();
    inFlight.add(abort);
    let result: PostResult | undefined;
    try {
      if (!abandoned) result = await deps.poster.post(target.url, minted.token, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      inFlight.delete(abort);
    }
    // Aborted when the server stops: it may have arrived, so it counts as an
    // attempt, but it is tried again rather than judged.
    const outcome: AttemptOutcome =
      result === undefined
        ? { status: "failed", at: now(), error: abandonedError, nextAttemptAt: now() }
        : attemptOutcome(result, { attemptsBefore: claim.attempts, schedule: options.schedule, now: now(), random: deps.random });
    return record(claim, outcome, target.host, startedAt);
  };

  const startReady = () => {
    if (stopping) return;
    for (const { destination, item } of queue.takeStartable()) {
      const run: Promise<void> = (deps.tracing ? deps.tracing.attempt(item.claim, () => attempt(item)) : attempt(item))
        .catch((err: unknown) => logger.error({ err, delivery: item.claim.id }, "logout notification attempt could not be recorded"))
        .finally(() => {
          running.delete(run);
          // Due rows the last claim left behind are worth another claim only
          // when this made room for them.
          const reopened = queue.finish(destination);
          startReady();
          if (reopened || saturated) nudge();
        });
      running.add(run);
    }
  };

  // A claim takes at most what one destination that just drained can still
  // hold, so that a backlog for a single relying party is claimed in pieces
  // it can take rather than claimed wholesale and mostly given back.
  const claimRound = async (): Promise<{ limit: number; claimed: number }> => {
    const limit = Math.min(backlogFactor * options.concurrency - queue.held(), (backlogFactor - 1) * options.perDestination);
    saturated = limit <= 0;
    if (saturated) return { limit, claimed: 0 };
    const full = queue.full();
    const skip = new Set([...destinationOf].filter(([, destination]) => full.has(destination)).map(([clientId]) => clientId));
    const claimedAt = now();
    const claims = await writer.claim(() => stores.transaction((tx) => tx.outbox.claimDue(claimedAt, limit, leaseMs, skip), readCommitted));
    // A claim that ended after the stop began is given back at once.
    if (stopping) {
      await release(claims);
      return { limit, claimed: 0 };
    }
    const clients = new Map<string, Promise<Client | undefined>>();
    for (const { clientId } of claims) if (!clients.has(clientId)) clients.set(clientId, stores.clients.get(clientId));
    const giveBack: ClaimedNotification[] = [];
    for (const claim of claims) {
      const client = await clients.get(claim.clientId)!;
      const target = deliveryTarget(claim.clientId, client);
      if ("error" in target) {
        await record(claim, { status: "dead", at: now(), error: target.error }, undefined, performance.now());
        continue;
      }
      destinationOf.set(claim.clientId, target.destination);
      if (!queue.accepts(target.destination)) giveBack.push(claim);
      else queue.add(target.destination, { claim, client: client!, target, leaseEnds: claimedAt.getTime() + leaseMs });
    }
    startReady();
    await release(giveBack);
    saturated = claims.length === limit || giveBack.length > 0;
    return { limit, claimed: claims.length };
  };

  // Until the next row falls due (rows that are due but were not claimed
  // belong to full destinations or to other instances: a finishing attempt
  // or the poll brings them back), at most the poll interval.
  const idleMs = async () => {
    const next = await stores.outbox.nextDueAt().catch(() => undefined);
    const ms = next === undefined ? options.pollMs : next.getTime() - now().getTime();
    return ms > 0 ? Math.min(ms, options.pollMs) : options.pollMs;
  };

  const loop = (async () => {
    while (!stopping) {
      nudged = false;
      try {
        const round = await claimRound();
        if (round.limit > 0 && round.claimed === round.limit) continue;
        if (!nudged) await wait(await idleMs());
      } catch (err) {
        logger.warn({ err }, "claiming logout notifications failed; trying again at the next poll");
        await wait(options.pollMs);
      }
    }
  })();

  return {
    wake: nudge,
    async stop(graceMs = options.stopGraceMs) {
      const graceEnds = Date.now() + graceMs;
      const writeEnds = graceEnds + outcomeWriteMs;
      stopping = true;
      nudge();
      const abandonTimer = setTimeout(() => {
        abandoned = true;
        for (const abort of inFlight) abort.abort(new Error("the server is stopping"));
      }, graceMs);
      // A claim stuck on an unreachable database is not waited for: its rows
      // come back when their lease runs out.
      await settledBy(loop, graceEnds);
      await settledBy(
        release(queue.drain().map((held) => held.claim)).catch((err: unknown) =>
          logger.warn({ err }, "giving back claimed logout notifications failed; they come back when their lease runs out"),
        ),
        writeEnds,
      );
      await settledBy(allRunning(), graceEnds);
      writer.giveUpAt(writeEnds);
      await settledBy(allRunning(), writeEnds);
      clearTimeout(abandonTimer);
      if (running.size > 0) {
        logger.warn(
          { attempts: running.size, unwrittenOutcomes: writer.pending() },
          "stopped with logout notification outcomes unwritten; their rows come back when their lease runs out",
        );
      }
      deps.poster.close();
    },
    pending: () => ({ attempts: running.size, unwrittenOutcomes: writer.pending() }),
  };

  async function allRunning(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running]);
  }
}

// Waits for `work` until `deadline` (ms since the epoch) at the latest.
async function settledBy(work: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
  clearTimeout(timer);
}
