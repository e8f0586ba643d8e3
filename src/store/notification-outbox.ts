import type { PlannedNotification, TerminationReason } from "../domain/termination-plan.js";

/** Delivery states of an outbox row. */
export type NotificationStatus = "pending" | "delivered" | "failed" | "dead";

/** A logout notification as the outbox holds it. */
export interface OutboxNotification {
  id: number;
  clientId: string;
  subjectId: string;
  sessionId?: string;
  issuer?: string;
  reason: TerminationReason;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date;
  created: Date;
}

/** Selects outbox rows; fields combine with AND. */
export interface OutboxFilter {
  subjectId?: string;
  sessionId?: string;
  clientId?: string;
  status?: NotificationStatus;
}

/**
 * The durable queue of back-channel logout notifications. Rows are written in
 * the same transaction as the termination that causes them, so none is lost.
 */
export interface NotificationOutbox {
  /** Queues notifications, due at once; returns how many were queued. */
  enqueue(notifications: readonly PlannedNotification[], now: Date): Promise<number>;
  /** Rows matching the filter, oldest first, at most `limit`. */
  list(filter: OutboxFilter, limit: number): Promise<OutboxNotification[]>;
}
