import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  SessionOrder,
  SessionState,
  TimeRangeSchema,
  type QuerySessionsResponse,
  type TimeRange,
  type UserSession,
} from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { describeError, type Api } from "./api.js";
import { byId, show, showError } from "./dom.js";
import type { EndSessionsDialog } from "./end-sessions-dialog.js";
import { idInText } from "./format.js";
import { describeCountedPage } from "./page-summary.js";
import { plural } from "./plural.js";
import type { RemovalTarget } from "./removal-plan.js";
import { sessionRow } from "./session-row.js";
import { announce, focusOn, keepFocusAfterPaging } from "./status.js";
import type { ListFilter } from "./termination-api.js";

interface SessionFilter {
  subjectId: string;
  sessionId: string;
  displayName: string;
  clientId: string;
  state: SessionState;
  issuer: string;
  ipAddress: string;
  created?: TimeRange;
  order: SessionOrder;
}

const states: Record<string, SessionState> = { active: SessionState.ACTIVE, expired: SessionState.EXPIRED };

// A datetime-local value read as UTC (the page shows every time in UTC).
function utcMs(value: string): number | undefined {
  if (value === "") return undefined;
  const ms = Date.parse(`${value}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Which page to ask for: the first, or the one after or before a token. */
type PageRequest = { resultsToken: string; requestPriorResults: boolean };

// The removal result lists at most this many session ids; the count says how many there were.
const listedSessionIds = 10;

/** The session list: filters, paging, and the end-session actions. */
export interface SessionsView {
  /** Loads the first page with the filters in the form. */
  reload(): Promise<void>;
  /** The filters the list shows now (those of the last search, not edits in the form not yet searched). */
  shownFilter(): ListFilter;
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
    const from = utcMs(text("createdFrom"));
    const to = utcMs(text("createdTo"));
    return {
      subjectId: text("subjectId"),
      sessionId: text("sessionId"),
      displayName: text("displayName"),
      clientId: text("clientId"),
      state: states[text("state")] ?? SessionState.UNSPECIFIED,
      issuer: text("issuer"),
      ipAddress: text("ipAddress"),
      created:
        from === undefined && to === undefined
          ? undefined
          : create(TimeRangeSchema, { from: from === undefined ? undefined : timestampFromMs(from), to: to === undefined ? undefined : timestampFromMs(to) }),
      order: text("order") === "newest" ? SessionOrder.NEWEST_FIRST : SessionOrder.OLDEST_FIRST,
    };
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
    const now = new Date();
    byId("sessions-caption").textContent = filter.order === SessionOrder.NEWEST_FIRST ? "Sessions, newest first" : "Sessions, oldest first";
    body.replaceChildren(...response.results.map((session) => sessionRow(session, now, endFrom)));
    show(empty, response.results.length === 0);
    const position = describeCountedPage(
      {
        shown: response.results.length,
        pageSize: size,
        totalCount: response.totalCount,
        totalPages: response.totalPages,
        currentPage: response.currentPage,
        estimate: response.totalCountIsEstimate,
      },
      "session",
    );
    summary.textContent = position.summary;
    pageIndicator.textContent = position.pager;
    prev.disabled = !response.hasPrevResults || response.resultsToken === "";
    next.disabled = !response.hasNextResults || response.resultsToken === "";
  }

  // The clients of a subject's sessions on this page: a start for the dialog, which looks up the rest.
  function clientsOfSubject(subjectId: string): string[] {
    return [...new Set((page?.results ?? []).filter((s) => s.subjectId === subjectId).flatMap((s) => s.clientIds))].sort();
  }

  async function endFrom(session: UserSession, opener: HTMLButtonElement): Promise<void> {
    const ended = await dialog.open(
      { subjectId: session.subjectId, sessionId: session.sessionId, clientIds: [...session.clientIds].sort() },
      clientsOfSubject(session.subjectId),
    );
    if (ended === undefined) {
      if (opener.isConnected) opener.focus();
      return;
    }
    const { target, outcome } = ended;
    showResult(target, outcome.sessionIds);
    byId("count-sessions").textContent = outcome.sessionsRemoved.toLocaleString("en");
    byId("count-tokens").textContent = outcome.tokensRevoked.toLocaleString("en");
    byId("count-consents").textContent = outcome.consentsRevoked.toLocaleString("en");
    byId("count-notifications").textContent = outcome.notificationsQueued.toLocaleString("en");
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

  function showResult(target: RemovalTarget, sessionIds: string[]): void {
    const text = byId("removal-result-target");
    if (target.kind === "session") {
      text.replaceChildren("Ended session ", idInText(target.sessionId), " of subject ", idInText(target.subjectId), ".");
      return;
    }
    const ids = sessionIds.slice(0, listedSessionIds).flatMap((id, i) => (i === 0 ? [idInText(id)] : [", ", idInText(id)]));
    const more = sessionIds.length > listedSessionIds ? ` and ${plural(sessionIds.length - listedSessionIds, "other")}` : "";
    text.replaceChildren(
      "Ended all sessions of subject ",
      idInText(target.subjectId),
      ...(ids.length > 0 ? [": ", ...ids, `${more}.`] : [" (it had none left)."]),
    );
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    filter = readFilter();
    size = Number(pageSize.value);
    show(result, false);
    if (await load({ resultsToken: "", requestPriorResults: false })) announce(summary.textContent || "No sessions match these filters.");
  });
  // Clears the filters; the page size stays.
  byId("filter-clear").addEventListener("click", () => {
    for (const input of form.querySelectorAll("input")) input.value = "";
    for (const select of form.querySelectorAll<HTMLSelectElement>("select:not(#page-size)")) select.selectedIndex = 0;
    form.requestSubmit();
  });
  prev.addEventListener("click", async () => {
    if (page === undefined) return;
    if (!(await load({ resultsToken: page.resultsToken, requestPriorResults: true }))) return;
    announce(summary.textContent ?? "");
    keepFocusAfterPaging(prev, next);
  });
  next.addEventListener("click", async () => {
    if (page === undefined) return;
    if (!(await load({ resultsToken: page.resultsToken, requestPriorResults: false }))) return;
    announce(summary.textContent ?? "");
    keepFocusAfterPaging(next, prev);
  });
  byId("removal-result-close").addEventListener("click", () => {
    show(result, false);
    focusOn(byId("sessions-heading"));
  });

  return {
    shownFilter: () => ({ ...filter }),
    async reload() {
      filter = readFilter();
      size = Number(pageSize.value);
      await load({ resultsToken: "", requestPriorResults: false });
    },
  };
}
