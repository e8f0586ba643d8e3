import { TerminationJobSchema, TerminationJobState, type TerminationFigures, type TerminationJob } from "../../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { flag, type CommandContext } from "./command.js";
import { formatTime, orDash, plural, writeJsonLine, writeTable, type Column } from "./output.js";
import { filterPhrase } from "./session-filter.js";

const stateNames: Record<TerminationJobState, string> = {
  [TerminationJobState.UNSPECIFIED]: "unknown",
  [TerminationJobState.PENDING]: "pending",
  [TerminationJobState.RUNNING]: "running",
  [TerminationJobState.SUCCEEDED]: "finished",
  [TerminationJobState.CANCELLED]: "cancelled",
  [TerminationJobState.FAILED]: "failed",
};

/** A job state as operators name it: pending, running, finished, cancelled, failed. */
export function stateName(state: TerminationJobState): string {
  return stateNames[state] ?? "unknown";
}

/** The states `jobs list --state` accepts, by name. */
export const statesByName: Record<string, TerminationJobState> = Object.fromEntries(
  Object.entries(stateNames)
    .filter(([value]) => Number(value) !== TerminationJobState.UNSPECIFIED)
    .map(([value, name]) => [name, Number(value) as TerminationJobState]),
);

/** Whether a job has ended (finished, cancelled or failed): it changes no more. */
export function isFinal(job: TerminationJob): boolean {
  return job.state === TerminationJobState.SUCCEEDED || job.state === TerminationJobState.CANCELLED || job.state === TerminationJobState.FAILED;
}

/** "120 of about 5000 sessions" or "120 of 118 sessions": progress against what matched at the start. */
export function progressPhrase(job: TerminationJob): string {
  const about = job.expectedSessionsIsEstimate ? "about " : "";
  return `${job.progress?.sessions ?? 0n} of ${about}${job.expectedSessions} sessions`;
}

/** The figures as a phrase: "2 sessions ended, 3 tokens revoked, …". */
export function describeFigures(figures: TerminationFigures | undefined): string {
  const n = (value: bigint | undefined) => Number(value ?? 0n);
  return [
    `${plural(n(figures?.sessions), "session")} ended`,
    `${plural(n(figures?.tokens), "token")} revoked`,
    `${plural(n(figures?.consents), "consent")} revoked`,
    `${plural(n(figures?.notifications), "notification")} queued`,
  ].join(", ");
}

/** How a job ended, in one line: what it did, and who cancelled it or why it failed. */
export function endLine(job: TerminationJob): string {
  const did = describeFigures(job.progress);
  switch (job.state) {
    case TerminationJobState.SUCCEEDED:
      return `job ${job.jobId} finished: ${did}`;
    case TerminationJobState.CANCELLED:
      return `job ${job.jobId} was CANCELLED${job.cancelledBy ? ` by ${job.cancelledBy}` : ""} after ${progressPhrase(job)}; what it did stays done: ${did}`;
    case TerminationJobState.FAILED:
      return `job ${job.jobId} FAILED after ${progressPhrase(job)}: ${job.error || "no reason given"}; what it did stays done: ${did}`;
    default:
      return `job ${job.jobId} is ${stateName(job.state)}: ${progressPhrase(job)}; ${did}`;
  }
}

const jobColumns: Column<TerminationJob>[] = [
  { title: "job id", cell: (j) => j.jobId },
  { title: "state", cell: (j) => stateName(j.state) },
  { title: "sessions", cell: (j) => `${j.progress?.sessions ?? 0n}/${j.expectedSessionsIsEstimate ? "~" : ""}${j.expectedSessions}` },
  { title: "filter", cell: (j) => (j.filter === undefined ? "-" : filterPhrase(j.filter)) },
  { title: "created", cell: (j) => formatTime(j.createTime) },
  { title: "ended", cell: (j) => formatTime(j.endTime) },
  { title: "by", cell: (j) => orDash(j.createdBy) },
  { title: "reason", cell: (j) => orDash(j.reason) },
];

/** Prints jobs as a table, or one JSON object per job with --json. */
export function printJobs(context: CommandContext, jobs: readonly TerminationJob[]): void {
  if (flag(context, "json")) for (const job of jobs) writeJsonLine(context.stdout, TerminationJobSchema, job);
  else writeTable(context.stdout, jobColumns, jobs);
}

/** One job in detail, a field a line. */
export function describeJob(job: TerminationJob): string[] {
  const actions = job.actions;
  const on = (value: boolean | undefined) => (value === false ? "no" : "yes");
  return [
    `job id:        ${job.jobId}`,
    `state:         ${stateName(job.state)}`,
    `sessions:      ${job.filter === undefined ? "-" : filterPhrase(job.filter)}${job.includeNewSessions ? " (including sessions recorded after the start)" : ""}`,
    `progress:      ${progressPhrase(job)} in ${job.batches} batch${job.batches === 1n ? "" : "es"}`,
    `done:          ${describeFigures(job.progress)}`,
    `actions:       remove records ${on(actions?.removeServerSideSession)}, revoke tokens ${on(actions?.revokeTokens)}, revoke consents ${on(actions?.revokeConsents)}, notify ${on(actions?.sendBackchannelLogoutNotification)}${actions?.clientIds.length ? ` (clients ${actions.clientIds.join(", ")} only)` : ""}`,
    `rate:          ${job.sessionsPerSecond} sessions/s`,
    `reason:        ${orDash(job.reason)}`,
    `created:       ${formatTime(job.createTime)} by ${orDash(job.createdBy)}`,
    `updated:       ${formatTime(job.updateTime)}`,
    `ended:         ${formatTime(job.endTime)}`,
    ...(job.error ? [`error:         ${job.error}`] : []),
    ...(job.cancelledBy ? [`cancelled by:  ${job.cancelledBy}`] : []),
    `idempotency:   ${job.idempotencyKey}`,
  ];
}
