import {
  NotificationStatus,
  TerminationReason,
  type ListNotificationsResponse,
  type LogoutNotification,
} from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { describeError, type Api } from "./api.js";
import { byId, el, show, showError } from "./dom.js";
import { idCell, timeElement } from "./format.js";
import { describeUncountedPage } from "./page-summary.js";
import { plural } from "./plural.js";
import { announce, focusOn, keepFocusAfterPaging } from "./status.js";

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

type PageRequest = { resultsToken: string; requestPriorResults: boolean };

/** The logout notification list: status per client, and retries of failed and dead ones. */
export interface NotificationsView {
  /** Loads the first page with the filters in the form. */
  reload(): Promise<void>;
}

/** Binds the logout notification list of the page. */
export function createNotificationsView(api: Api, onUnauthenticated: (error: unknown) => boolean): NotificationsView {
  const form = byId<HTMLFormElement>("notification-filter");
  const table = byId<HTMLTableElement>("notifications-table");
  const body = table.tBodies[0]!;
  const empty = byId("notifications-empty");
  const error = byId("notifications-error");
  const prev = byId<HTMLButtonElement>("notifications-prev");
  const next = byId<HTMLButtonElement>("notifications-next");
  const pageIndicator = byId("notifications-page");
  const summary = byId("notifications-summary");
  const retryShown = byId<HTMLButtonElement>("retry-shown");

  let lastRequest: PageRequest = { resultsToken: "", requestPriorResults: false };
  let page: ListNotificationsResponse | undefined;
  let pageNumber = 1;

  function filter() {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    return {
      status: Number(text("status")) as NotificationStatus,
      clientId: text("clientId"),
      subjectId: text("subjectId"),
      sessionId: text("sessionId"),
      countRequested: Number(text("pageSize")),
    };
  }

  async function load(request: PageRequest): Promise<boolean> {
    table.setAttribute("aria-busy", "true");
    try {
      page = await api.notifications.listNotifications({ ...filter(), ...request });
      lastRequest = request;
      showError(error, "");
      render(page);
      return true;
    } catch (failure) {
      if (onUnauthenticated(failure)) return false;
      page = undefined;
      showError(error, describeError(failure));
      body.replaceChildren();
      show(empty, false);
      pageIndicator.textContent = summary.textContent = "";
      prev.disabled = next.disabled = retryShown.disabled = true;
      return false;
    } finally {
      table.removeAttribute("aria-busy");
    }
  }

  function render(response: ListNotificationsResponse): void {
    body.replaceChildren(...response.results.map(row));
    show(empty, response.results.length === 0);
    const position = describeUncountedPage(response.results.length, filter().countRequested, pageNumber, "notification");
    summary.textContent = position.summary;
    pageIndicator.textContent = position.pager;
    prev.disabled = !response.hasPrevResults || response.resultsToken === "";
    next.disabled = !response.hasNextResults || response.resultsToken === "";
    retryShown.disabled = !response.results.some(retryable);
  }

  function row(notification: LogoutNotification): HTMLTableRowElement {
    const status = statusNames[notification.status] ?? "unknown";
    const id = String(notification.notificationId);
    const cell = (label: string, ...content: (Node | string)[]) => el("td", { "data-label": label }, ...content);
    const statusCode = notification.lastStatusCode === undefined ? "" : `HTTP ${notification.lastStatusCode}`;
    const lastError = notification.lastError.includes(statusCode)
      ? notification.lastError
      : [statusCode, notification.lastError].filter((part) => part !== "").join(": ");
    const actions: Node[] = [];
    if (retryable(notification)) {
      const retry = el("button", { type: "button", class: "small", "aria-label": `Retry notification ${id}` }, "Retry");
      retry.addEventListener("click", () => retryNotifications([notification.notificationId]));
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
        el(
          "div",
          {},
          el("span", { class: `badge badge-${status}` }, status),
          el("span", { class: "attempts" }, plural(notification.attempts, "attempt")),
        ),
      ),
      cell("Last result", lastError === "" ? el("span", { class: "muted" }, "–") : el("span", { class: "clamp", title: lastError }, lastError)),
      cell(
        "Times (UTC)",
        el(
          "dl",
          { class: "times" },
          el("dt", {}, "queued"),
          el("dd", {}, timeElement(notification.createTime)),
          el("dt", {}, "last try"),
          el("dd", {}, timeElement(notification.lastAttemptTime)),
          el("dt", {}, delivered ? "delivered" : "next try"),
          el("dd", {}, delivered ? timeElement(notification.deliveryTime) : timeElement(notification.nextAttemptTime)),
        ),
      ),
      cell("Actions", ...actions),
    );
  }

  async function retryNotifications(ids: bigint[]): Promise<void> {
    try {
      const outcome = await api.notifications.retryNotifications({ notificationIds: ids });
      await load(lastRequest);
      announce(`${plural(outcome.notificationsRetried, "notification")} put back as pending.`);
      focusOn(byId("notifications-heading"));
    } catch (failure) {
      if (onUnauthenticated(failure)) return;
      showError(error, describeError(failure));
      focusOn(error);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    pageNumber = 1;
    if (await load({ resultsToken: "", requestPriorResults: false })) announce(page?.results.length ? summary.textContent ?? "" : "No logout notifications match these filters.");
  });
  byId("notifications-refresh").addEventListener("click", async () => {
    if (await load(lastRequest)) announce("Logout notifications refreshed.");
  });
  retryShown.addEventListener("click", () => retryNotifications((page?.results ?? []).filter(retryable).map((n) => n.notificationId)));
  prev.addEventListener("click", async () => {
    if (page === undefined) return;
    pageNumber = Math.max(1, pageNumber - 1);
    if (await load({ resultsToken: page.resultsToken, requestPriorResults: true })) {
      if (!page.hasPrevResults) pageNumber = 1;
      render(page);
      announce(summary.textContent ?? "");
      keepFocusAfterPaging(prev, next);
    }
  });
  next.addEventListener("click", async () => {
    if (page === undefined) return;
    pageNumber++;
    if (!(await load({ resultsToken: page.resultsToken, requestPriorResults: false }))) return;
    announce(summary.textContent ?? "");
    keepFocusAfterPaging(next, prev);
  });

  return {
    async reload() {
      pageNumber = 1;
      await load({ resultsToken: "", requestPriorResults: false });
    },
  };
}

function retryable(notification: LogoutNotification): boolean {
  return notification.status === NotificationStatus.FAILED || notification.status === NotificationStatus.DEAD;
}
