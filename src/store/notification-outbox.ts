import type { NotificationFilter } from "../domain/notification-filter.js";
import type { NotificationStatus } from "../domain/notification-status.js";
import type { PlannedNotification, TerminationReason } from "../domain/termination-plan.js";
import type { PageCursor } from "./page-cursor.js";

export type { NotificationStatus };

/** A logout notification as the outbox holds it. */
export interface OutboxNotification {
  id: number;
  clientId: string;
  subjectId: string;
  sessionId?: string;
  issuer?: string;
  reason: TerminationReason;
  status: NotificationStatus;
  /** How many times the notifier took it up (reset when an operator retries it). */
  attempts: number;
  /**
   * When it is due next; unset once final (delivered or dead). While an
   * attempt is in flight, when that attempt's claim runs out.
   */
  nextAttemptAt?: Date;
  created: Date;
  lastAttemptAt?: Date;
  /** The HTTP status of the last answer, if the last attempt got one. */
  lastStatusCode?: number;
  /** Why the last attempt did not deliver. */
  lastError?: string;
  deliveredAt?: Date;
}

/** Selects outbox rows; fields combine with AND. */
export type OutboxFilter = NotificationFilter;

/** A row claimed for one delivery attempt, reserved until its lease runs out. */
export interface ClaimedNotification {
  id: number;
  clientId: string;
  subjectId: string;
  sessionId?: string;
  issuer?: string;
  reason: TerminationReason;
  /** Attempts made before this one. */
  attempts: number;
  /** Proves the claim when the outcome is recorded. */
  claimToken: string;
  /** The W3C traceparent of the call that queued it, when that call was traced. */
  traceContext?: string;
}

/** How one attempt ended. */
export type AttemptOutcome =
  | { status: "delivered"; at: Date; statusCode: number }
  | { status: "failed"; at: Date; statusCode?: number; error: string; nextAttemptAt: Date }
  | { status: "dead"; at: Date; statusCode?: number; error: string };

/**
 * The durable queue of back-channel logout notifications. Rows are written in
 * the same transaction as the termination that causes them, so none is lost;
 * any number of instances may deliver from it at once.
 */
export interface NotificationOutbox {
  /** Queues notifications, due at once; returns how many were queued. */
  enqueue(notifications: readonly PlannedNotification[], now: Date): Promise<number>;
  /** Rows matching the filter, oldest first, at most `limit`. */
  list(filter: OutboxFilter, limit: number): Promise<OutboxNotification[]>;
  /** Up to `limit` rows matching the filter beyond the cursor, nearest to the cursor first (ids in queue order). */
  findPage(filter: OutboxFilter, cursor: PageCursor, limit: number): Promise<OutboxNotification[]>;
  /** Whether any row matching the filter lies beyond the cursor. */
  existsBeyond(filter: OutboxFilter, cursor: PageCursor): Promise<boolean>;
  /**
   * Claims up to `limit` due rows, earliest due first, skipping the given
   * clients: each is leased until `now + leaseMs` (it is not due again before
   * then, so the rows of an instance that died come back). Must run inside a
   * "read-committed" transaction; on MySQL, rows that other instances are
   * claiming at the same moment are passed over rather than waited for.
   */
  claimDue(now: Date, limit: number, leaseMs: number, skipClients?: ReadonlySet<string>): Promise<ClaimedNotification[]>;
  /**
   * Removes up to `limit` notifications delivered before `before`, oldest
   * first, passing over rows another transaction holds; returns how many.
   * Pending, failed and dead rows stay, for operators to see.
   */
  removeDelivered(before: Date, limit: number): Promise<number>;
  /** How many rows wait for delivery (pending, failed) or gave up (dead); delivered rows are not counted. */
  backlog(): Promise<{ pending: number; failed: number; dead: number }>;
  /** When the earliest pending, failed or leased row falls due; undefined when none is left. */
  nextDueAt(): Promise<Date | undefined>;
  /** Gives back claims that were not attempted: due again at `now`, attempts unchanged. */
  release(claims: readonly ClaimedNotification[], now: Date): Promise<void>;
  /**
   * Records how an attempt ended and ends the claim. Returns false, changing
   * nothing, when the claim was lost (its lease ran out and another claim
   * took the row over).
   */
  recordOutcome(claim: ClaimedNotification, outcome: AttemptOutcome): Promise<boolean>;
  /**
   * Puts failed and dead rows back as pending, due at `now`, with a fresh
   * retry schedule (attempts 0); other rows, and failed rows with an attempt
   * in flight, are left alone. Returns how many were put back.
   */
  retry(ids: readonly number[], now: Date): Promise<number>;
}
