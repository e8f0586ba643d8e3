import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  RemoveSessionsRequestSchema,
  RemoveSessionsResponseSchema,
  UserSessionSchema,
  type RemoveSessionsRequest,
  type RemoveSessionsResponse,
  type UserSession,
} from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { flag, stringValue, stringValues, type Command, type CommandContext } from "./command.js";
import { confirm, yesOption } from "./confirm.js";
import { removeWhere, whereOptions } from "./remove-where.js";
import { ExitCode, UsageError } from "./errors.js";
import { formatList, formatTime, plural, writeJsonLine, writeTable, type Column } from "./output.js";
import { noteMore, pagingOptions, walkPages } from "./paging.js";
import { removeSubjectsFile } from "./remove-subjects.js";
import { sessionQueryFields, sessionQueryOptions } from "./session-query-options.js";

const sessionColumns: Column<UserSession>[] = [
  { title: "subject", cell: (s) => s.subjectId },
  { title: "session id", cell: (s) => s.sessionId || "-" },
  { title: "display name", cell: (s) => s.displayName || "-" },
  { title: "clients", cell: (s) => formatList(s.clientIds) },
  { title: "created", cell: (s) => formatTime(s.created) },
  { title: "expires", cell: (s) => `${formatTime(s.expires)}${s.expired ? " (expired)" : ""}` },
  { title: "sign-in ip", cell: (s) => s.metadata?.signInIpAddress || "-" },
  { title: "last seen", cell: (s) => formatTime(s.metadata?.lastSeenTime) },
  { title: "issuer", cell: (s) => s.issuer || "-" },
];

/** `sessions list`: one page, or every page, of the sessions matching the filters. */
export const listSessions: Command = {
  group: "sessions",
  name: "list",
  summary: "list sessions, oldest first (or newest first)",
  usage: "",
  details: [
    "Filters combine with AND. A time value starting with a dash needs an equals sign:",
    "--created-from=-24h. --json prints every field, the session metadata included.",
  ],
  options: {
    subject: { type: "string", value: "ID", description: "only this subject id" },
    session: { type: "string", value: "SID", description: "only this session id" },
    "display-name": { type: "string", value: "PREFIX", description: "only display names starting with this (any case)" },
    client: { type: "string", value: "ID", description: "only sessions that signed in to this client" },
    ...sessionQueryOptions,
    ...pagingOptions,
  },
  async run(context) {
    const filter = {
      subjectId: stringValue(context, "subject") ?? "",
      sessionId: stringValue(context, "session") ?? "",
      displayName: stringValue(context, "display-name") ?? "",
      clientId: stringValue(context, "client") ?? "",
      ...sessionQueryFields(context),
    };
    let total: number | undefined;
    const walk = await walkPages(context, async (countRequested, resultsToken) => {
      const page = await context.services().sessions.querySessions({ ...filter, countRequested, resultsToken });
      total ??= page.totalCount;
      return page;
    });
    if (flag(context, "json")) for (const session of walk.rows) writeJsonLine(context.stdout, UserSessionSchema, session);
    else writeTable(context.stdout, sessionColumns, walk.rows);
    noteMore(context, walk, total);
    return ExitCode.ok;
  },
};

/** The switches of a removal, read from the flags. */
function removalRequest(context: CommandContext, target: { subjectId?: string; sessionId?: string }): RemoveSessionsRequest {
  return create(RemoveSessionsRequestSchema, {
    subjectId: target.subjectId ?? "",
    sessionId: target.sessionId ?? "",
    clientIds: stringValues(context, "client"),
    removeServerSideSession: !flag(context, "keep-session"),
    revokeTokens: !flag(context, "keep-tokens"),
    revokeConsents: !flag(context, "keep-consents"),
    sendBackchannelLogoutNotification: !flag(context, "no-notify"),
  });
}

/** What a removal will do, in words, for the confirmation prompt. */
export function describeRemoval(
  request: Pick<RemoveSessionsRequest, "clientIds" | "removeServerSideSession" | "revokeTokens" | "revokeConsents" | "sendBackchannelLogoutNotification">,
): string[] {
  const clients = request.clientIds.length > 0 ? ` (clients ${request.clientIds.join(", ")} only)` : "";
  return [
    request.removeServerSideSession ? "  - remove the session records" : "  - keep the session records",
    request.revokeTokens ? `  - revoke refresh and reference tokens, codes${clients}` : "  - keep tokens",
    request.revokeConsents ? `  - revoke consents${clients}` : "  - keep consents",
    request.sendBackchannelLogoutNotification ? `  - notify relying parties by back-channel logout${clients}` : "  - notify no relying party",
  ];
}

/** The counts of a removal as a phrase: "2 sessions removed, 3 tokens revoked, …". */
export function describeCounts(outcome: Pick<RemoveSessionsResponse, "sessionsRemoved" | "tokensRevoked" | "consentsRevoked" | "notificationsQueued">): string {
  return [
    `${plural(outcome.sessionsRemoved, "session")} removed`,
    `${plural(outcome.tokensRevoked, "token")} revoked`,
    `${plural(outcome.consentsRevoked, "consent")} revoked`,
    `${plural(outcome.notificationsQueued, "notification")} queued`,
  ].join(", ");
}

/** `sessions remove`: ends the sessions of a subject or one session, or of every subject in a file. */
export const removeSessions: Command = {
  group: "sessions",
  name: "remove",
  summary: "end sessions: remove them, revoke their tokens and consents, notify relying parties",
  usage: "(--subject ID | --session SID | --subjects-file FILE | --where FILTER… | --where --all)",
  details: [
    "Everything is on by default; the --keep-* and --no-notify flags turn parts off.",
    "Removing what is already gone succeeds with zero counts, so a run can be repeated.",
    "--subjects-file takes one subject id per line (blank lines and # comments are",
    "skipped) and prints a result line per subject and a summary. Ctrl-C stops after",
    "the current subject (exit code 130); run the same file again to finish.",
    "",
    "--where ends every session matching the filters of sessions list (--subject,",
    "--session, --display-name, --client: sessions that signed in to it, the",
    "--created-/--renewed-/--expires- ranges, --state, --issuer, --ip), or --all, as",
    "a server-side job: it shows what would happen (--dry-run shows only that), asks,",
    "starts the job and watches it. Ctrl-C detaches: the job goes on (sessionctl jobs",
    "watch / cancel). A time value starting with a dash needs an equals sign:",
    "--created-to=-30d.",
  ],
  options: {
    subject: { type: "string", value: "ID", description: "end the sessions of this subject" },
    session: { type: "string", value: "SID", description: "end the session with this session id" },
    "subjects-file": { type: "string", value: "FILE", description: "end the sessions of every subject in the file" },
    client: { type: "string", multiple: true, value: "ID", description: "revoke and notify for this client only" },
    "keep-session": { type: "boolean", description: "keep the session records" },
    "keep-tokens": { type: "boolean", description: "keep refresh and reference tokens and codes" },
    "keep-consents": { type: "boolean", description: "keep the subject's consents" },
    "no-notify": { type: "boolean", description: "send no back-channel logout notifications" },
    json: { type: "boolean", description: "print the result as JSON" },
    ...yesOption,
    ...whereOptions,
  },
  async run(context) {
    if (context.args.length > 0) throw new UsageError(`unexpected argument "${context.args[0]}"`);
    if (flag(context, "where")) return removeWhere(context, describeRemoval);
    const whereOnly = Object.keys(whereOptions).find((name) => context.values[name] !== undefined);
    if (whereOnly !== undefined) throw new UsageError(`--${whereOnly}: only with --where`);
    const subjectId = stringValue(context, "subject");
    const sessionId = stringValue(context, "session");
    const file = stringValue(context, "subjects-file");
    if (file !== undefined) {
      if (subjectId !== undefined || sessionId !== undefined) throw new UsageError("--subjects-file: cannot be combined with --subject or --session");
      return removeSubjectsFile(context, file, (subject) => removalRequest(context, { subjectId: subject }), describeRemoval, describeCounts);
    }
    if (!subjectId && !sessionId) throw new UsageError("name what to remove: --subject, --session or --subjects-file");
    const request = removalRequest(context, { subjectId, sessionId });
    if (!flag(context, "yes")) {
      const target = [subjectId && `subject ${subjectId}`, sessionId && `session ${sessionId}`].filter(Boolean).join(" and ");
      const matching = await countMatching(context, request);
      const count = matching === undefined ? "" : ` (${plural(matching, "session")} now)`;
      context.stderr.write(`This ends the sessions of ${target}${count}:\n${describeRemoval(request).join("\n")}\n`);
    }
    if (!(await confirm(context, "Go ahead?"))) {
      context.stderr.write("Nothing was changed.\n");
      return ExitCode.failure;
    }
    const outcome = await context.services().sessions.removeSessions(request);
    if (flag(context, "json")) {
      writeJsonLine(context.stdout, RemoveSessionsResponseSchema, outcome);
      return ExitCode.ok;
    }
    context.stdout.write(`${describeCounts(outcome)}\n`);
    if (outcome.sessionIds.length > 0) context.stdout.write(`session ids: ${outcome.sessionIds.join(", ")}\n`);
    return ExitCode.ok;
  },
};

/** How many sessions a removal matches now, when the key may read sessions. */
async function countMatching(context: CommandContext, request: RemoveSessionsRequest): Promise<number | undefined> {
  try {
    const page = await context.services().sessions.querySessions({ subjectId: request.subjectId, sessionId: request.sessionId, countRequested: 1 });
    return page.totalCount;
  } catch (error) {
    // A key that may remove but not read sessions still gets its prompt.
    if (error instanceof ConnectError && error.code === Code.PermissionDenied) return undefined;
    throw error;
  }
}
