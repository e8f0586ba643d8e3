import { invalidArgument } from "./errors.js";
import { limits } from "./limits.js";

/** Validates the notification ids of a RetryNotifications request; returns them without repeats. */
export function parseNotificationIds(ids: readonly bigint[]): number[] {
  if (ids.length === 0) throw invalidArgument("notification_ids", "must not be empty");
  if (ids.length > limits.notificationIdsPerRequest) {
    throw invalidArgument("notification_ids", `must list at most ${limits.notificationIdsPerRequest} ids`);
  }
  ids.forEach((id, i) => {
    if (id < 1n || id > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidArgument(`notification_ids[${i}]`, "must be a positive id");
  });
  return [...new Set(ids.map(Number))];
}
