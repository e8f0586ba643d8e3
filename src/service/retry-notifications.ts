import { create } from "@bufbuild/protobuf";
import {
  RetryNotificationsResponseSchema,
  type RetryNotificationsRequest,
  type RetryNotificationsResponse,
} from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { parseNotificationIds } from "../domain/notification-ids.js";
import type { NotificationOutbox } from "../store/notification-outbox.js";

/** What RetryNotifications needs. */
export interface RetryNotificationsDeps {
  stores: { outbox: NotificationOutbox };
  /** Delivers what was put back now rather than at the next poll. */
  notifier: { wake(): void };
  now?: () => Date;
}

/** RetryNotifications: validate the ids, put failed and dead ones back as pending, wake the notifier. */
export function createRetryNotifications(deps: RetryNotificationsDeps) {
  const now = deps.now ?? (() => new Date());
  return async function retryNotifications(request: RetryNotificationsRequest, signal: AbortSignal): Promise<RetryNotificationsResponse> {
    const ids = parseNotificationIds(request.notificationIds);
    signal.throwIfAborted();
    const retried = await deps.stores.outbox.retry(ids, now());
    if (retried > 0) deps.notifier.wake();
    return create(RetryNotificationsResponseSchema, { notificationsRetried: retried });
  };
}
