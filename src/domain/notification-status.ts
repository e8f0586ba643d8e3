/**
 * Where a logout notification stands:
 * - `pending`: queued (or put back by an operator) and not attempted since;
 *   due at its next attempt time.
 * - `failed`: the last attempt failed in a way that may pass (network error,
 *   timeout, 408, 425, 429, 5xx); the next attempt is scheduled.
 * - `delivered`: the relying party answered 2xx. Final.
 * - `dead`: no more attempts. Either the schedule ran out, or the failure
 *   cannot pass by retrying (another 4xx, a redirect, a refused address, a
 *   client that is gone, disabled or without a URI, a client that requires a
 *   `sid` for a session without one); the last error says which. Final until
 *   an operator retries it.
 */
export type NotificationStatus = "pending" | "failed" | "delivered" | "dead";

/** Every status, in the order above. */
export const notificationStatuses: readonly NotificationStatus[] = ["pending", "failed", "delivered", "dead"];
