import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  PreviewTerminationResponseSchema,
  StartTerminationJobResponseSchema,
  TerminationActionsSchema,
  type ClientTerminationPreview,
  type PreviewTerminationResponse,
  type SessionFilter,
  type TerminationActions,
} from "../../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { flag, stringValue, type CommandContext, type OptionSpec } from "./command.js";
import { confirm } from "./confirm.js";
import { ExitCode, UsageError } from "./errors.js";
import { watchJob } from "./job-watch.js";
import { writeJsonLine, writeTable, type Column } from "./output.js";
import { filterPhrase, readSessionFilter } from "./session-filter.js";
import { sessionFilterOptions } from "./session-query-options.js";

/** The flags `sessions remove --where` adds to `sessions remove`. */
export const whereOptions: Record<string, OptionSpec> = {
  where: { type: "boolean", description: "end every session matching the filter flags, as a server-side job" },
  "display-name": { type: "string", value: "PREFIX", description: "with --where: display names starting with this (any case)" },
  ...withWhere(sessionFilterOptions),
  all: { type: "boolean", description: "with --where: every session (instead of filter flags)" },
  "dry-run": { type: "boolean", description: "with --where: show what would happen, change nothing" },
  "idempotency-key": { type: "string", value: "KEY", description: "with --where: the job's key (default: a new one); the same key returns the same job" },
  reason: { type: "string", value: "TEXT", description: "with --where: why, for the job list and the audit trail" },
  rate: { type: "string", value: "N", description: "with --where: at most N sessions per second (default: the server's)" },
  "include-new": { type: "boolean", description: "with --where: also end matching sessions recorded after the job starts" },
  "no-watch": { type: "boolean", description: "with --where: start the job and return (follow it with jobs watch)" },
};

/** Filter options that work only with --where, said so in their help. */
function withWhere(options: Record<string, OptionSpec>): Record<string, OptionSpec> {
  return Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, { ...spec, description: `with --where: ${spec.description}` }]));
}

/** The switches of a termination, each set (none left to its default). */
type Actions = TerminationActions & Required<Pick<TerminationActions, "removeServerSideSession" | "revokeTokens" | "revokeConsents" | "sendBackchannelLogoutNotification">>;

/** What to do to each session, from the --keep-* and --no-notify flags. */
function actionsOf(context: CommandContext): Actions {
  return create(TerminationActionsSchema, {
    removeServerSideSession: !flag(context, "keep-session"),
    revokeTokens: !flag(context, "keep-tokens"),
    revokeConsents: !flag(context, "keep-consents"),
    sendBackchannelLogoutNotification: !flag(context, "no-notify"),
  }) as Actions;
}

/**
 * `sessions remove --where …`: previews (--dry-run), or confirms and starts
 * a termination job for every matching session, then watches it.
 */
export async function removeWhere(context: CommandContext, describeActions: (actions: Actions) => string[]): Promise<number> {
  if (stringValue(context, "subjects-file") !== undefined) throw new UsageError("--where: cannot be combined with --subjects-file");
  const filter = readSessionFilter(context, true);
  const actions = actionsOf(context);
  const json = flag(context, "json");
  if (flag(context, "dry-run")) {
    const preview = await context.services().termination.previewTermination({ filter, actions });
    if (json) writeJsonLine(context.stdout, PreviewTerminationResponseSchema, preview);
    else writePreview(context.stdout, filter, preview, describeActions(actions), "would");
    return ExitCode.ok;
  }
  const rate = readRate(context);
  if (!flag(context, "yes")) {
    const preview = await previewIfAllowed(context, filter, actions);
    if (preview === undefined) context.stderr.write(`This starts a job that ends ${filterPhrase(filter)}:\n${describeActions(actions).join("\n")}\n`);
    else writePreview(context.stderr, filter, preview, describeActions(actions), "will");
  }
  if (!(await confirm(context, "Start the termination job?"))) {
    context.stderr.write("Nothing was changed.\n");
    return ExitCode.failure;
  }
  const idempotencyKey = stringValue(context, "idempotency-key") ?? `sessionctl-${randomUUID()}`;
  const started = await context.services().termination.startTerminationJob({
    idempotencyKey,
    filter,
    actions,
    includeNewSessions: flag(context, "include-new"),
    sessionsPerSecond: rate,
    reason: stringValue(context, "reason") ?? "",
  });
  const jobId = started.job?.jobId ?? "";
  if (flag(context, "no-watch")) {
    if (json) writeJsonLine(context.stdout, StartTerminationJobResponseSchema, started);
    else context.stdout.write(`${started.created ? "started" : "found"} job ${jobId}; follow it: sessionctl jobs watch ${jobId}\n`);
    return ExitCode.ok;
  }
  if (!json) context.stderr.write(`${started.created ? "started job" : "the idempotency key names the existing job"} ${jobId} (idempotency key ${idempotencyKey})\n`);
  return watchJob(context, jobId);
}

function readRate(context: CommandContext): number {
  const text = stringValue(context, "rate");
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 2 ** 31 - 1) throw new UsageError("--rate: must be a whole number of sessions per second, at least 1");
  return Number(text);
}

/** The preview for the confirmation prompt; undefined when the key may not preview. */
async function previewIfAllowed(context: CommandContext, filter: SessionFilter, actions: TerminationActions): Promise<PreviewTerminationResponse | undefined> {
  try {
    return await context.services().termination.previewTermination({ filter, actions });
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.PermissionDenied) return undefined;
    throw error;
  }
}

/** The per-client columns, estimates marked with `about`. */
function clientColumns(about: string): Column<ClientTerminationPreview>[] {
  const figure = (value: bigint | undefined) => `${about}${value ?? 0n}`;
  return [
    { title: "client", cell: (c) => c.clientId },
    { title: "sessions", cell: (c) => figure(c.figures?.sessions) },
    { title: "tokens", cell: (c) => figure(c.figures?.tokens) },
    { title: "consents", cell: (c) => figure(c.figures?.consents) },
    { title: "notifications", cell: (c) => figure(c.figures?.notifications) },
    { title: "notified", cell: (c) => (c.notifiable ? "yes" : "no") },
  ];
}

/** The preview in words: totals (estimates marked with ~), the actions, and a table per client. */
export function writePreview(
  out: NodeJS.WritableStream,
  filter: SessionFilter,
  preview: PreviewTerminationResponse,
  actionLines: string[],
  mood: "would" | "will",
): void {
  const about = preview.isEstimate ? "~" : "";
  const total = preview.total;
  const line = (label: string, value: bigint | undefined) => `  ${label.padEnd(14)}${about}${value ?? 0n}\n`;
  out.write(`A termination job ${mood} end ${filterPhrase(filter)}${preview.isEstimate ? " (ESTIMATES, marked ~)" : ""}:\n`);
  out.write(line("sessions", total?.sessions) + line("tokens", total?.tokens) + line("consents", total?.consents) + line("notifications", total?.notifications));
  out.write(`${actionLines.join("\n")}\n`);
  if (preview.clients.length > 0) {
    out.write("Per client:\n");
    writeTable(out, clientColumns(about), preview.clients);
  }
  if (preview.clientsTruncated) out.write(`(more clients than the ${preview.clients.length} listed)\n`);
  if (preview.isEstimate) out.write(`(estimates: more than ${preview.exactBound} sessions match; figures are exact up to ${preview.exactBound})\n`);
  out.write("(the job runs over the sessions as they are then: these figures are a forecast)\n");
}
