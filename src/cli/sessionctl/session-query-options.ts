import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { SessionOrder, SessionState, TimeRangeSchema, type QuerySessionsRequest } from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { isDomainError } from "../../domain/errors.js";
import { parseIpRange } from "../../domain/ip-address.js";
import { flag, stringValue, type CommandContext, type OptionSpec } from "./command.js";
import { UsageError } from "./errors.js";

type QueryFields = Pick<QuerySessionsRequest, "created" | "renewed" | "expires" | "state" | "issuer" | "ipAddress" | "order">;

const timeValue = "TIME";
const timeHelp = (what: string, end: string) => `only sessions ${what} ${end} TIME (RFC 3339, or -30m, -24h, -7d from now)`;

/** The options of the newer session filters (times, state, issuer, address), shared by list, remove --where and export. */
export const sessionFilterOptions: Record<string, OptionSpec> = {
  "created-from": { type: "string", value: timeValue, description: timeHelp("created", "at or after") },
  "created-to": { type: "string", value: timeValue, description: timeHelp("created", "before") },
  "renewed-from": { type: "string", value: timeValue, description: timeHelp("last renewed", "at or after") },
  "renewed-to": { type: "string", value: timeValue, description: timeHelp("last renewed", "before") },
  "expires-from": { type: "string", value: timeValue, description: timeHelp("expiring", "at or after") },
  "expires-to": { type: "string", value: timeValue, description: timeHelp("expiring", "before") },
  state: { type: "string", value: "active|expired", description: "only sessions that have not expired, or only expired ones" },
  issuer: { type: "string", value: "URL", description: "only sessions of this issuer (exact)" },
  ip: { type: "string", value: "ADDRESS|CIDR", description: "only sessions that signed in from this address or block" },
};

/** The `sessions list` options of the newer QuerySessions filters and the order. */
export const sessionQueryOptions: Record<string, OptionSpec> = {
  ...sessionFilterOptions,
  "newest-first": { type: "boolean", description: "list the last recorded sessions first (with a time range or state alone: the latest by that time)" },
};

/**
 * The newer filter fields and the order of a QuerySessions request (or a
 * SessionFilter, order aside), from the options; bad values are usage
 * errors naming the option.
 */
export function sessionQueryFields(context: CommandContext, now = Date.now()): Partial<QueryFields> {
  const range = (name: string) => {
    const from = timeOption(context, `${name}-from`, now);
    const to = timeOption(context, `${name}-to`, now);
    if (from === undefined && to === undefined) return undefined;
    if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--${name}-from: must not be after --${name}-to`);
    return create(TimeRangeSchema, { from: from === undefined ? undefined : timestampFromMs(from), to: to === undefined ? undefined : timestampFromMs(to) });
  };
  const state = stringValue(context, "state");
  if (state !== undefined && state !== "active" && state !== "expired") throw new UsageError(`--state: must be active or expired, not "${state}"`);
  return {
    created: range("created"),
    renewed: range("renewed"),
    expires: range("expires"),
    state: state === undefined ? SessionState.UNSPECIFIED : state === "active" ? SessionState.ACTIVE : SessionState.EXPIRED,
    issuer: stringValue(context, "issuer") ?? "",
    ipAddress: ipOption(context),
    order: flag(context, "newest-first") ? SessionOrder.NEWEST_FIRST : SessionOrder.OLDEST_FIRST,
  };
}

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

// An RFC 3339 time, or a duration before now such as -24h.
function timeOption(context: CommandContext, name: string, now: number): number | undefined {
  const value = stringValue(context, name);
  if (value === undefined) return undefined;
  const relative = /^-(\d{1,6})([smhd])$/.exec(value);
  if (relative) return now - Number(relative[1]) * units[relative[2]!]!;
  const ms = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/i.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--${name}: "${value}" is not a time (RFC 3339 such as 2026-11-28T09:00:00Z, or -30m, -24h, -7d)`);
  return ms;
}

// An address or a CIDR block, checked as the server checks it.
function ipOption(context: CommandContext): string {
  const value = stringValue(context, "ip");
  if (value === undefined) return "";
  try {
    parseIpRange("--ip", value);
  } catch (error) {
    if (isDomainError(error)) throw new UsageError(`${error.message} (not "${value}")`);
    throw error;
  }
  return value;
}
