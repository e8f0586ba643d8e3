import { NotificationStatus, TerminationReason, type LogoutNotification } from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { el } from "./dom.js";
import { idCell, timesList } from "./format.js";
import { plural } from "./plural.js";

const statusNames: Record<NotificationStatus, string> = {
  [NotificationStatus.UNSPECIFIED]: "unknown",
  [NotificationStatus.PENDING]: "pending",
  [NotificationStatus.FAILED]: "failed",
  [NotificationStatus.DELIVERED]: "delivered",
  [NotificationStatus.DEAD]: "dead",
};

const reasonNames: Record<TerminationReason, string> = {
  [TerminationReason.UNSPECIFIED]: "unknown",
  [TerminationReason.ADMIN_REMOVAL]: "ended by an administrator",
  [TerminationReason.USER_LOGOUT]: "user logout",
  [TerminationReason.EXPIRED]: "expired",
};

/** Whether a notification can be put back as pending: it failed, or gave up. */
export function retryable(notification: LogoutNotification): boolean {
  return notification.status === NotificationStatus.FAILED || notification.status === NotificationStatus.DEAD;
}

/**
 * One row of the notification list: status and attempts, the last result
 * (HTTP status and error), the times, and "Retry" for failed and dead ones,
 * which calls `onRetry` with the notification's id.
 */
export function notificationRow(notification: LogoutNotification, onRetry: (id: bigint) => void): HTMLTableRowElement {
  const status = statusNames[notification.status] ?? "unknown";
  const id = String(notification.notificationId);
  const cell = (label: string, ...content: (Node | string)[]) => el("td", { "data-label": label }, ...content);
  const statusCode = notification.lastStatusCode === undefined ? "" : `HTTP ${notification.lastStatusCode}`;
  const lastResult = notification.lastError.includes(statusCode)
    ? notification.lastError
    : [statusCode, notification.lastError].filter((part) => part !== "").join(": ");
  const actions: Node[] = [];
  if (retryable(notification)) {
    const retry = el("button", { type: "button", class: "small", "aria-label": `Retry notification ${id}` }, "Retry");
    retry.addEventListener("click", () => onRetry(notification.notificationId));
    actions.push(retry);
  }
  const delivered = notification.status === NotificationStatus.DELIVERED;
  return el(
    "tr",
    { "data-notification-id": id, "data-status": status },
    cell("Id", idCell(id)),
    cell("Client", idCell(notification.clientId)),
    cell("Subject", idCell(notification.subjectId)),
    cell("Session id", notification.sessionId === "" ? el("span", { class: "muted" }, "none") : idCell(notification.sessionId)),
    cell("Reason", reasonNames[notification.reason] ?? "unknown"),
    cell(
      "Status, attempts",
      el("div", {}, el("span", { class: `badge badge-${status}` }, status), el("span", { class: "attempts" }, plural(notification.attempts, "attempt"))),
    ),
    // Cut after three lines; the whole text on hover.
    cell("Last result", lastResult === "" ? el("span", { class: "muted" }, "–") : el("span", { class: "clamp", title: lastResult }, lastResult)),
    cell(
      "Times (UTC)",
      timesList(
        ["queued", notification.createTime],
        ["last try", notification.lastAttemptTime],
        delivered ? ["delivered", notification.deliveryTime] : ["next try", notification.nextAttemptTime],
      ),
    ),
    cell("Actions", ...actions),
  );
}
