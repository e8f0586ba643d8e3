import { create } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import {
  SessionFilterSchema,
  TerminationJobState,
  type SessionFilter,
  type TerminationFigures,
  type TerminationJob,
} from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { SessionState, type TimeRange } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { utcText } from "./format.js";
import { plural } from "./plural.js";

/** The session list's filters, as the list applies them: every one of them goes into a termination job's filter. */
export type ListFilter = Pick<SessionFilter, "subjectId" | "sessionId" | "displayName" | "clientId" | "state" | "issuer" | "ipAddress" | "created">;

/**
 * A termination filter selecting exactly what the list shows: its text
 * filters, state and creation range. `allSessions` only when nothing is
 * named and the administrator said so.
 */
export function terminationFilter(list: ListFilter, allSessions: boolean): SessionFilter {
  const filter = create(SessionFilterSchema, {
    subjectId: list.subjectId,
    sessionId: list.sessionId,
    displayName: list.displayName,
    clientId: list.clientId,
    state: list.state,
    issuer: list.issuer,
    ipAddress: list.ipAddress,
    created: list.created,
  });
  filter.allSessions = allSessions && isEmptyFilter(filter);
  return filter;
}

const isEmptyRange = (range: TimeRange | undefined) => range === undefined || (range.from === undefined && range.to === undefined);

/** Whether the filter names no field (it would select every session). */
export function isEmptyFilter(filter: SessionFilter): boolean {
  return (
    [filter.subjectId, filter.sessionId, filter.displayName, filter.clientId, filter.issuer, filter.ipAddress].every((value) => value === "") &&
    filter.state === SessionState.UNSPECIFIED &&
    isEmptyRange(filter.created) &&
    isEmptyRange(filter.renewed) &&
    isEmptyRange(filter.expires)
  );
}

// "created from 2026-01-01 09:00 UTC before 2026-02-01 00:00 UTC", or "" for no range.
function rangeText(what: string, range: TimeRange | undefined): string {
  if (isEmptyRange(range)) return "";
  const at = (timestamp: Timestamp) => `${utcText(timestampDate(timestamp))} UTC`;
  const from = range!.from === undefined ? "" : ` from ${at(range!.from)}`;
  const to = range!.to === undefined ? "" : ` before ${at(range!.to)}`;
  return `${what}${from}${to}`;
}

/** The filter in words: "subject alice, client web-app, issuer https://…, created from … UTC", or "every session". */
export function describeTerminationFilter(filter: SessionFilter): string {
  const parts = [
    filter.subjectId && `subject ${filter.subjectId}`,
    filter.sessionId && `session ${filter.sessionId}`,
    filter.displayName && `display name starting with “${filter.displayName}”`,
    filter.clientId && `client ${filter.clientId}`,
    filter.state === SessionState.ACTIVE ? "active" : filter.state === SessionState.EXPIRED ? "expired" : "",
    filter.issuer && `issuer ${filter.issuer}`,
    filter.ipAddress && `signed in from ${filter.ipAddress}`,
    rangeText("created", filter.created),
    rangeText("last renewed", filter.renewed),
    rangeText("expiring", filter.expires),
  ].filter((part) => part !== "");
  return parts.length === 0 ? "every session" : parts.join(", ");
}

/** How a job state reads on the page. */
export function jobStateLabel(state: TerminationJobState): string {
  switch (state) {
    case TerminationJobState.PENDING:
      return "Waiting to start";
    case TerminationJobState.RUNNING:
      return "Running";
    case TerminationJobState.SUCCEEDED:
      return "Finished";
    case TerminationJobState.CANCELLED:
      return "Cancelled";
    case TerminationJobState.FAILED:
      return "Failed";
    default:
      return "Unknown";
  }
}

const stateBadges: Record<TerminationJobState, string> = {
  [TerminationJobState.UNSPECIFIED]: "badge-unknown",
  [TerminationJobState.PENDING]: "badge-pending",
  [TerminationJobState.RUNNING]: "badge-pending",
  [TerminationJobState.SUCCEEDED]: "badge-delivered",
  [TerminationJobState.CANCELLED]: "badge-failed",
  [TerminationJobState.FAILED]: "badge-dead",
};

/** The badge class of a job state (the notification list's colours: blue going on, green done, amber cancelled, red failed). */
export function jobStateBadge(state: TerminationJobState): string {
  return stateBadges[state] ?? "badge-unknown";
}

/** Whether the job has ended (finished, cancelled or failed). */
export function isFinalJob(job: TerminationJob): boolean {
  return [TerminationJobState.SUCCEEDED, TerminationJobState.CANCELLED, TerminationJobState.FAILED].includes(job.state);
}

/** A figure as text, "about" in front when it is an estimate. */
export function figureText(value: bigint | undefined, estimate: boolean): string {
  return `${estimate ? "about " : ""}${Number(value ?? 0n).toLocaleString("en")}`;
}

/** The figures as a sentence: "2 sessions ended, 1 token revoked, …". */
export function describeTerminationFigures(figures: TerminationFigures | undefined): string {
  const n = (value: bigint | undefined) => Number(value ?? 0n);
  return (
    `${plural(n(figures?.sessions), "session")} ended, ${plural(n(figures?.tokens), "token")} revoked, ` +
    `${plural(n(figures?.consents), "consent")} revoked, ${plural(n(figures?.notifications), "notification")} queued`
  );
}
