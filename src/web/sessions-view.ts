import type { QuerySessionsResponse, UserSession } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { describeError, type Api } from "./api.js";
import { byId, el, show, showError } from "./dom.js";
import type { EndSessionsDialog } from "./end-sessions-dialog.js";
import { plural, timeElement } from "./format.js";
import { describeTarget, type RemovalTarget } from "./removal-plan.js";
import { announce, focusOn, keepFocusAfterPaging } from "./status.js";

interface SessionFilter {
  subjectId: string;
  sessionId: string;
  displayName: string;
  clientId: string;
}

/** Which page to ask for: the first, or the one after or before a token. */
type PageRequest = { resultsToken: string; requestPriorResults: boolean };

/** The session list: filters, paging, and the end-session actions. */
export interface SessionsView {
  /** Loads the first page with the filters in the form. */
  reload(): Promise<void>;
}

/** Binds the session list of the page. */
export function createSessionsView(api: Api, dialog: EndSessionsDialog, onUnauthenticated: (error: unknown) => boolean): SessionsView {
  const form = byId<HTMLFormElement>("session-filter");
  const pageSize = byId<HTMLSelectElement>("page-size");
  const body = byId<HTMLTableElement>("sessions-table").tBodies[0]!;
  const table = byId("sessions-table");
  const summary = byId("sessions-summary");
  const empty = byId("sessions-empty");
  const error = byId("sessions-error");
  const prev = byId<HTMLButtonElement>("sessions-prev");
  const next = byId<HTMLButtonElement>("sessions-next");
  const pageIndicator = byId("sessions-page");
  const result = byId("removal-result");

  let filter: SessionFilter = readFilter();
  let size = Number(pageSize.value);
  let lastRequest: PageRequest = { resultsToken: "", requestPriorResults: false };
  let page: QuerySessionsResponse | undefined;

  function readFilter(): SessionFilter {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    return { subjectId: text("subjectId"), sessionId: text("sessionId"), displayName: text("displayName"), clientId: text("clientId") };
  }

  async function load(request: PageRequest): Promise<boolean> {
    table.setAttribute("aria-busy", "true");
    try {
      page = await api.sessions.querySessions({ ...filter, countRequested: size, ...request });
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
      summary.textContent = "";
      pageIndicator.textContent = "";
      prev.disabled = next.disabled = true;
      return false;
    } finally {
      table.removeAttribute("aria-busy");
    }
  }

  function render(response: QuerySessionsResponse): void {
    body.replaceChildren(...response.results.map(row));
    show(empty, response.results.length === 0);
    const about = response.totalCountIsEstimate ? "about " : "";
    const total = response.totalCount === undefined ? "" : `${about}${plural(response.totalCount, "session")}`;
    const position =
      response.currentPage !== undefined && response.totalPages !== undefined && response.results.length > 0
        ? `Page ${response.currentPage} of ${about}${response.totalPages}`
        : "";
    pageIndicator.textContent = [position, total].filter((part) => part !== "").join(", ");
    summary.textContent = response.results.length === 0 ? "" : `Showing ${plural(response.results.length, "session")}.`;
    prev.disabled = !response.hasPrevResults || response.resultsToken === "";
    next.disabled = !response.hasNextResults || response.resultsToken === "";
  }

  function row(session: UserSession): HTMLTableRowElement {
    const sessionTarget: RemovalTarget = { kind: "session", subjectId: session.subjectId, sessionId: session.sessionId };
    const subjectTarget: RemovalTarget = { kind: "subject", subjectId: session.subjectId };
    const endSession = el("button", { type: "button", class: "danger small", "aria-label": `End session ${session.sessionId}` }, "End session");
    endSession.addEventListener("click", () => end(sessionTarget, session.clientIds, endSession));
    const endSubject = el("button", { type: "button", class: "danger small", "aria-label": `End all sessions of ${session.subjectId}` }, "End all");
    endSubject.addEventListener("click", () => end(subjectTarget, clientsOfSubject(session.subjectId), endSubject));
    const cell = (label: string, ...content: (Node | string)[]) => el("td", { "data-label": label }, ...content);
    return el(
      "tr",
      {},
      cell("Subject", session.subjectId),
      cell("Session id", el("code", {}, session.sessionId)),
      cell("Display name", session.displayName),
      cell("Clients", session.clientIds.length === 0 ? el("span", { class: "muted" }, "none") : session.clientIds.join(", ")),
      cell("Created (UTC)", timeElement(session.created)),
      cell("Renewed (UTC)", timeElement(session.renewed)),
      cell("Expires (UTC)", timeElement(session.expires)),
      cell("Issuer", session.issuer),
      cell("Actions", el("div", { class: "row-actions" }, endSession, endSubject)),
    );
  }

  // The clients of a subject's sessions on this page: a starting point; others can be typed in.
  function clientsOfSubject(subjectId: string): string[] {
    return [...new Set((page?.results ?? []).filter((s) => s.subjectId === subjectId).flatMap((s) => s.clientIds))].sort();
  }

  async function end(target: RemovalTarget, clientIds: string[], opener: HTMLButtonElement): Promise<void> {
    const outcome = await dialog.open(target, clientIds);
    if (outcome === undefined) {
      if (opener.isConnected) opener.focus();
      return;
    }
    byId("removal-result-target").textContent = `Ended ${describeTarget(target)}${
      outcome.sessionIds.length > 0 ? ` (sessions: ${outcome.sessionIds.join(", ")})` : ""
    }.`;
    byId("count-sessions").textContent = String(outcome.sessionsRemoved);
    byId("count-tokens").textContent = String(outcome.tokensRevoked);
    byId("count-consents").textContent = String(outcome.consentsRevoked);
    byId("count-notifications").textContent = String(outcome.notificationsQueued);
    show(result, true);
    announce(
      `Done: ${plural(outcome.sessionsRemoved, "session")} removed, ${plural(outcome.tokensRevoked, "token")} revoked, ` +
        `${plural(outcome.consentsRevoked, "consent")} revoked, ${plural(outcome.notificationsQueued, "notification")} queued.`,
    );
    await load(lastRequest);
    // The page the removal emptied: show the first one instead.
    if (page !== undefined && page.results.length === 0 && (page.hasPrevResults || page.hasNextResults)) await load({ resultsToken: "", requestPriorResults: false });
    focusOn(result);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    filter = readFilter();
    size = Number(pageSize.value);
    show(result, false);
    if (await load({ resultsToken: "", requestPriorResults: false })) announce(pageIndicator.textContent || "No sessions match these filters.");
  });
  // Clears the filters; the page size stays.
  byId("filter-clear").addEventListener("click", () => {
    for (const input of form.querySelectorAll("input")) input.value = "";
    form.requestSubmit();
  });
  prev.addEventListener("click", async () => {
    if (page === undefined) return;
    if (!(await load({ resultsToken: page.resultsToken, requestPriorResults: true }))) return;
    announce(pageIndicator.textContent ?? "");
    keepFocusAfterPaging(prev, next);
  });
  next.addEventListener("click", async () => {
    if (page === undefined) return;
    if (!(await load({ resultsToken: page.resultsToken, requestPriorResults: false }))) return;
    announce(pageIndicator.textContent ?? "");
    keepFocusAfterPaging(next, prev);
  });
  byId("removal-result-close").addEventListener("click", () => {
    show(result, false);
    focusOn(byId("sessions-heading"));
  });

  return {
    async reload() {
      filter = readFilter();
      size = Number(pageSize.value);
      await load({ resultsToken: "", requestPriorResults: false });
    },
  };
}
