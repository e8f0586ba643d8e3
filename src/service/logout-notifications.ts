import type { ConnectRouter } from "@connectrpc/connect";
import { LogoutNotifications } from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { createListNotifications, type ListNotificationsDeps } from "./list-notifications.js";
import { createRetryNotifications, type RetryNotificationsDeps } from "./retry-notifications.js";

/** Registers the LogoutNotifications service on a router. */
export function registerLogoutNotifications(router: ConnectRouter, deps: ListNotificationsDeps & RetryNotificationsDeps): void {
  const listNotifications = createListNotifications(deps);
  const retryNotifications = createRetryNotifications(deps);
  router.service(LogoutNotifications, {
    listNotifications: (request, context) => listNotifications(request, context.signal),
    retryNotifications: (request, context) => retryNotifications(request, context.signal),
  });
}
