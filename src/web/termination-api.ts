import { create } from "@bufbuild/protobuf";
import {
  SessionFilterSchema,
  TerminationJobState,
  type SessionFilter,
  type TerminationFigures,
  type TerminationJob,
} from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { plural } from "./plural.js";

/** The session list's filter fields a termination job can select by, named as the filter form names its inputs. */
export const terminationFilterFields = ["subjectId", "sessionId", "displayName", "clientId"] as const;

/** A termination filter from the form's values; `allSessions` only when nothing is named and the administrator said so. */
export function terminationFilter(values: Record<(typeof terminationFilterFields)[number], string>, allSessions: boolean): SessionFilter {
  const filter = create(SessionFilterSchema, values);
  filter.allSessions = allSessions && isEmptyFilter(filter);
  return filter;
}

/** Whether the filter names no field (it would select every session). */
export function isEmptyFilter(filter: SessionFilter): boolean {
  return terminationFilterFields.every((field) => filter[field] === "");
}

/** The filter in words: "subject alice, client web-app", or "every session". */
export function describeTerminationFilter(filter: SessionFilter): string {
  const parts = [
    filter.subjectId && `subject ${filter.subjectId}`,
    filter.sessionId && `session ${filter.sessionId}`,
    filter.displayName && `display name starting with “${filter.displayName}”`,
    filter.clientId && `client ${filter.clientId}`,
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
