import { create } from "@bufbuild/protobuf";
import { SessionFilterSchema, type SessionFilter } from "../../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { flag, stringValue, stringValues, type CommandContext, type OptionSpec } from "./command.js";
import { UsageError } from "./errors.js";

/** The filter flags of the commands that work on every matching session. */
export const filterOptions: Record<string, OptionSpec> = {
  subject: { type: "string", value: "ID", description: "only this subject id" },
  session: { type: "string", value: "SID", description: "only this session id" },
  "display-name": { type: "string", value: "PREFIX", description: "only display names starting with this (any case)" },
  client: { type: "string", value: "ID", description: "only sessions that signed in to this client" },
};

/**
 * Reads the filter flags into a SessionFilter. With `requireChoice`, a
 * filter that names nothing must say --all (every session), and --all
 * cannot be combined with a filter: ending everyone is never an accident.
 */
export function readSessionFilter(context: CommandContext, requireChoice: boolean): SessionFilter {
  const clients = stringValues(context, "client");
  if (clients.length > 1) throw new UsageError("--client: give one client to filter on");
  const filter = create(SessionFilterSchema, {
    subjectId: stringValue(context, "subject") ?? "",
    sessionId: stringValue(context, "session") ?? "",
    displayName: stringValue(context, "display-name") ?? "",
    clientId: clients[0] ?? stringValue(context, "client") ?? "",
  });
  const named = describeFilter(filter).length > 0;
  if (!requireChoice) return filter;
  if (flag(context, "all") && named) throw new UsageError("--all: cannot be combined with --subject, --session, --display-name or --client");
  if (!flag(context, "all") && !named) throw new UsageError("name the sessions: --subject, --session, --display-name, --client, or --all for every session");
  filter.allSessions = flag(context, "all");
  return filter;
}

/** The filter in words, e.g. ["client web-app", "display name starting with ali"]; empty for no filter. */
export function describeFilter(filter: SessionFilter): string[] {
  return [
    filter.subjectId && `subject ${filter.subjectId}`,
    filter.sessionId && `session ${filter.sessionId}`,
    filter.displayName && `display name starting with "${filter.displayName}"`,
    filter.clientId && `client ${filter.clientId}`,
  ].filter((part): part is string => part !== "");
}

/** "the sessions matching client web-app, subject alice", or "every session". */
export function filterPhrase(filter: SessionFilter): string {
  const parts = describeFilter(filter);
  return parts.length === 0 ? "every session" : `the sessions matching ${parts.join(", ")}`;
}
