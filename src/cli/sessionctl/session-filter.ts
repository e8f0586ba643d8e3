import { create } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { SessionState, type TimeRange } from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { SessionFilterSchema, type SessionFilter } from "../../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { flag, stringValue, stringValues, type CommandContext, type OptionSpec } from "./command.js";
import { UsageError } from "./errors.js";
import { sessionFilterOptions, sessionQueryFields } from "./session-query-options.js";

/** The filter flags of the commands that work on every matching session: those of `sessions list`, the order aside. */
export const filterOptions: Record<string, OptionSpec> = {
  subject: { type: "string", value: "ID", description: "only this subject id" },
  session: { type: "string", value: "SID", description: "only this session id" },
  "display-name": { type: "string", value: "PREFIX", description: "only display names starting with this (any case)" },
  client: { type: "string", value: "ID", description: "only sessions that signed in to this client" },
  ...sessionFilterOptions,
};

/** The filter flags, as the messages name them. */
const filterFlags = "--subject, --session, --display-name, --client, --created-*, --renewed-*, --expires-*, --state, --issuer, --ip";

/**
 * Reads the filter flags into a SessionFilter. With `requireChoice`, a
 * filter that names nothing must say --all (every session), and --all
 * cannot be combined with a filter: ending everyone is never an accident.
 */
export function readSessionFilter(context: CommandContext, requireChoice: boolean): SessionFilter {
  const clients = stringValues(context, "client");
  if (clients.length > 1) throw new UsageError("--client: give one client to filter on");
  const { order: _order, ...newer } = sessionQueryFields(context);
  const filter = create(SessionFilterSchema, {
    subjectId: stringValue(context, "subject") ?? "",
    sessionId: stringValue(context, "session") ?? "",
    displayName: stringValue(context, "display-name") ?? "",
    clientId: clients[0] ?? stringValue(context, "client") ?? "",
    ...newer,
  });
  const named = describeFilter(filter).length > 0;
  if (!requireChoice) return filter;
  if (flag(context, "all") && named) throw new UsageError(`--all: cannot be combined with a filter (${filterFlags})`);
  if (!flag(context, "all") && !named) throw new UsageError(`name the sessions with a filter (${filterFlags}), or --all for every session`);
  filter.allSessions = flag(context, "all");
  return filter;
}

// "2026-01-01T09:00:00Z": times as the flags take them.
const timeText = (timestamp: Timestamp) => timestampDate(timestamp).toISOString().replace(".000Z", "Z");

// "created from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z", or "" for no range.
function rangeText(what: string, range: TimeRange | undefined): string {
  if (range === undefined || (range.from === undefined && range.to === undefined)) return "";
  return `${what}${range.from === undefined ? "" : ` from ${timeText(range.from)}`}${range.to === undefined ? "" : ` before ${timeText(range.to)}`}`;
}

/** The filter in words, e.g. ["client web-app", "display name starting with ali"]; empty for no filter. */
export function describeFilter(filter: SessionFilter): string[] {
  return [
    filter.subjectId && `subject ${filter.subjectId}`,
    filter.sessionId && `session ${filter.sessionId}`,
    filter.displayName && `display name starting with "${filter.displayName}"`,
    filter.clientId && `client ${filter.clientId}`,
    rangeText("created", filter.created),
    rangeText("last renewed", filter.renewed),
    rangeText("expiring", filter.expires),
    filter.state === SessionState.ACTIVE ? "state active" : filter.state === SessionState.EXPIRED ? "state expired" : "",
    filter.issuer && `issuer ${filter.issuer}`,
    filter.ipAddress && `signed in from ${filter.ipAddress}`,
  ].filter((part): part is string => part !== "");
}

/** "the sessions matching client web-app, subject alice", or "every session". */
export function filterPhrase(filter: SessionFilter): string {
  const parts = describeFilter(filter);
  return parts.length === 0 ? "every session" : `the sessions matching ${parts.join(", ")}`;
}
