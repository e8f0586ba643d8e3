import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AuditEventSchema, type AuditEvent } from "../../../gen/ts/sessionmanagement/v1/audit_log_pb.js";
import { flag, stringValue, type Command } from "./command.js";
import { ExitCode, UsageError } from "./errors.js";
import { formatTime, orDash, writeJsonLine, writeTable, type Column } from "./output.js";
import { noteMore, pagingOptions, walkPages } from "./paging.js";

const auditColumns: Column<AuditEvent>[] = [
  { title: "id", cell: (e) => e.id.toString() },
  { title: "time", cell: (e) => formatTime(e.time) },
  { title: "principal", cell: (e) => e.principalId },
  { title: "method", cell: (e) => e.method.replace(/^sessionmanagement\.v1\./, "") },
  { title: "code", cell: (e) => e.code },
  { title: "request", cell: (e) => orDash(e.requestJson) },
  { title: "outcome", cell: (e) => orDash(e.outcomeJson) },
];

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads a time flag: an RFC 3339 time or date (`2026-03-01T12:00:00Z`,
 * `2026-03-01`) or a span before now (`30m`, `12h`, `7d`).
 */
export function parseTimeFlag(flagName: string, text: string, now = Date.now()): Date {
  const relative = /^(\d+)([smhd])$/.exec(text);
  if (relative) return new Date(now - Number(relative[1]) * units[relative[2]!]!);
  const date = /^\d{4}-\d{2}-\d{2}([T ].*)?$/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${flagName}: "${text}" is not a time; use e.g. 2026-03-01T12:00:00Z, 2026-03-01 or 12h (ago)`);
  return date;
}

/** `audit list`: who changed what. */
export const listAudit: Command = {
  group: "audit",
  name: "list",
  summary: "list the audit trail of changes, oldest first",
  usage: "",
  options: {
    principal: { type: "string", value: "ID", description: "only calls made with this credential id" },
    method: { type: "string", value: "NAME", description: "only calls of this method, e.g. SessionManagement/RemoveSessions" },
    since: { type: "string", value: "TIME", description: "only calls at or after this time (RFC 3339, a date, or 30m/12h/7d ago)" },
    until: { type: "string", value: "TIME", description: "only calls before this time" },
    ...pagingOptions,
  },
  async run(context) {
    const method = stringValue(context, "method") ?? "";
    const since = stringValue(context, "since");
    const until = stringValue(context, "until");
    const filter = {
      principalId: stringValue(context, "principal") ?? "",
      // The short form (Service/Method) is completed with the package name.
      method: method !== "" && !method.includes(".") ? `sessionmanagement.v1.${method}` : method,
      startTime: since === undefined ? undefined : timestampFromDate(parseTimeFlag("since", since)),
      endTime: until === undefined ? undefined : timestampFromDate(parseTimeFlag("until", until)),
    };
    const walk = await walkPages(context, async (countRequested, resultsToken) => {
      const page = await context.services().audit.listAuditEvents({ ...filter, countRequested, resultsToken });
      return { ...page, results: page.events };
    });
    if (flag(context, "json")) for (const event of walk.rows) writeJsonLine(context.stdout, AuditEventSchema, event);
    else writeTable(context.stdout, auditColumns, walk.rows);
    noteMore(context, walk);
    return ExitCode.ok;
  },
};
