import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { UserSession } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { el } from "./dom.js";
import { clippedText, idCell, timeElement, timesList } from "./format.js";
import { sessionLifetime, type SessionState } from "./session-state.js";

const stateNotes: Record<SessionState, string> = {
  active: "Valid until its expiry time.",
  expired: "No longer valid: past its expiry time. The sweeper, if it is on, removes it at its next run.",
  "no-expiry": "Valid until it is ended: it has no expiry time.",
};

/**
 * One row of the session list: its state at `now` (active, expired or
 * without expiry) marked on the row, and one action, "End session", which
 * calls `onEnd` with the session and the button (for the focus to return to).
 */
export function sessionRow(session: UserSession, now: Date, onEnd: (session: UserSession, opener: HTMLButtonElement) => void): HTMLTableRowElement {
  const expires = session.expires === undefined ? undefined : timestampDate(session.expires);
  const lifetime = sessionLifetime(expires, now);
  const end = el("button", { type: "button", class: "danger-quiet small", "aria-label": `End session ${session.sessionId}` }, "End session");
  end.addEventListener("click", () => onEnd(session, end));
  const cell = (label: string, ...content: (Node | string)[]) => el("td", { "data-label": label }, ...content);
  const none = () => el("span", { class: "muted" }, "–");
  return el(
    "tr",
    { "data-state": lifetime.state, class: `session-${lifetime.state}` },
    cell("Subject", idCell(session.subjectId)),
    cell("Session id", idCell(session.sessionId)),
    cell("Display name", session.displayName === "" ? none() : clippedText(session.displayName)),
    cell("Clients", clientList(session.clientIds)),
    cell(
      "State, expiry (UTC)",
      el(
        "div",
        {},
        el(
          "div",
          { class: "lifetime" },
          el("span", { class: `badge badge-${lifetime.state}`, title: stateNotes[lifetime.state] }, lifetime.label),
          lifetime.relative === "" ? "" : el("span", { class: "relative" }, lifetime.relative),
        ),
        expires === undefined ? "" : timeElement(session.expires),
      ),
    ),
    cell(
      "Created, renewed, last seen (UTC)",
      timesList(["created", session.created], ["renewed", session.renewed], ["last seen", session.metadata?.lastSeenTime]),
    ),
    cell("Issuer, signed in from", el("div", {}, session.issuer === "" ? none() : issuerText(session.issuer), signInText(session))),
    cell("Actions", end),
  );
}

// The sign-in address, with the browser, methods and last-seen address on hover.
function signInText(session: UserSession): HTMLElement | string {
  const m = session.metadata;
  if (m === undefined || m.signInIpAddress === "") return "";
  const shown = clippedText(m.signInIpAddress);
  shown.classList.add("sign-in");
  shown.title = [
    `signed in from ${m.signInIpAddress}`,
    m.lastSeenIpAddress !== "" && m.lastSeenIpAddress !== m.signInIpAddress ? `last seen from ${m.lastSeenIpAddress}` : "",
    m.signInUserAgent,
    m.authenticationMethods.length > 0 ? `methods: ${m.authenticationMethods.join(", ")}` : "",
    m.authenticationContextClass === "" ? "" : `acr: ${m.authenticationContextClass}`,
  ]
    .filter(Boolean)
    .join("\n");
  return shown;
}

function clientList(clientIds: string[]): HTMLElement {
  if (clientIds.length === 0) return el("span", { class: "muted" }, "none");
  return el("ul", { class: "chips", "aria-label": "Clients" }, ...clientIds.map((id) => el("li", { class: "chip", title: id }, id)));
}

// An https issuer without its scheme (the column is narrow); the whole URL on hover.
function issuerText(issuer: string): HTMLElement {
  const shown = clippedText(issuer.startsWith("https://") ? issuer.slice("https://".length) : issuer);
  shown.title = issuer;
  return shown;
}
