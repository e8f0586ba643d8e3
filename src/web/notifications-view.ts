import type { ListNotificationsResponse, NotificationStatus } from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { describeError, type Api } from "./api.js";
import { byId, show, showError } from "./dom.js";
import { notificationRow, retryable } from "./notification-row.js";
import { describeUncountedPage } from "./page-summary.js";
import { plural } from "./plural.js";
import { announce, focusOn, keepFocusAfterPaging } from "./status.js";

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
    body.replaceChildren(...response.results.map((notification) => notificationRow(notification, (id) => retryNotifications([id]))));
    show(empty, response.results.length === 0);
    const position = describeUncountedPage(response.results.length, filter().countRequested, pageNumber, "notification");
    summary.textContent = position.summary;
    pageIndicator.textContent = position.pager;
    prev.disabled = !response.hasPrevResults || response.resultsToken === "";
    next.disabled = !response.hasNextResults || response.resultsToken === "";
    retryShown.disabled = !response.results.some(retryable);
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
