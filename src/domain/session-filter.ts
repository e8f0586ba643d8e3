import { invalidArgument } from "./errors.js";
import { parseIpRange, type IpRange } from "./ip-address.js";
import { limits } from "./limits.js";
import { optionalTextField } from "./text-field.js";

/** Times from `from` (inclusive) to `to` (exclusive); an absent end is open. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

/** Active: not expired at the time of the query (or never expiring). Expired: expiry passed. */
export type SessionState = "active" | "expired";

/** The order sessions are walked in: the walk's order (see sessionWalkOf), or its reverse. */
export type SessionOrder = "oldest_first" | "newest_first";

/**
 * A validated session filter. Absent fields do not filter; present ones
 * combine with AND. Every walk over it is a keyset walk, in recording order or
 * a time's (see sessionWalkOf, and docs/performance.md for which index serves
 * which combination).
 */
export interface SessionFilter {
  subjectId?: string;
  sessionId?: string;
  /** Case-insensitive prefix of the display name, as given. */
  displayNamePrefix?: string;
  clientId?: string;
  created?: TimeRange;
  /** The last renewal (last activity the identity provider reported as a renewal). */
  renewed?: TimeRange;
  /** Sessions that never expire are outside every expiry range. */
  expires?: TimeRange;
  state?: SessionState;
  /** The instant `state` is judged at; unset: when the query runs. Not part of the filter's key. */
  now?: Date;
  /** Exact issuer. */
  issuer?: string;
  /** The sign-in IP address, exactly or within a CIDR block. */
  ipAddress?: IpRange;
}

/** The filter fields of a QuerySessions request; the newer ones may be left out. */
export interface SessionFilterInput {
  subjectId: string;
  sessionId: string;
  displayName: string;
  clientId: string;
  created?: TimeRange;
  renewed?: TimeRange;
  expires?: TimeRange;
  state?: SessionState;
  issuer?: string;
  ipAddress?: string;
}

/** Validates the filter fields; throws invalid_argument naming the field. */
export function parseSessionFilter(input: SessionFilterInput): SessionFilter {
  const filter: SessionFilter = {
    subjectId: optionalTextField("subject_id", input.subjectId, limits.identifier),
    sessionId: optionalTextField("session_id", input.sessionId, limits.identifier),
    displayNamePrefix: optionalTextField("display_name", input.displayName, limits.displayName),
    clientId: optionalTextField("client_id", input.clientId, limits.identifier),
  };
  // The newer fields appear only when set, so filters without them look as they always did.
  const created = timeRange("created", input.created);
  if (created) filter.created = created;
  const renewed = timeRange("renewed", input.renewed);
  if (renewed) filter.renewed = renewed;
  const expires = timeRange("expires", input.expires);
  if (expires) filter.expires = expires;
  if (input.state !== undefined) filter.state = input.state;
  const issuer = optionalTextField("issuer", input.issuer ?? "", limits.issuer);
  if (issuer !== undefined) filter.issuer = issuer;
  if (input.ipAddress !== undefined && input.ipAddress !== "") filter.ipAddress = parseIpRange("ip_address", input.ipAddress);
  return filter;
}

/** Whether a session with these values passes the filter's newer fields (the in-memory reading of the SQL). */
export function stateMatches(state: SessionState, expires: Date | undefined, now: Date): boolean {
  const expired = expires !== undefined && expires.getTime() <= now.getTime();
  return state === "expired" ? expired : !expired;
}

/**
 * A stable string for the filter, used to bind page tokens and cache counts.
 * Filters without the newer fields keep the key they always had, so page
 * tokens issued before them stay valid.
 */
export function sessionFilterKey(filter: SessionFilter): string {
  const base = [filter.subjectId, filter.sessionId, filter.displayNamePrefix, filter.clientId];
  const range = (r: TimeRange | undefined) => (r === undefined ? null : [r.from?.getTime() ?? null, r.to?.getTime() ?? null]);
  const newer = [range(filter.created), range(filter.renewed), range(filter.expires), filter.state, filter.issuer, filter.ipAddress?.text];
  if (newer.every((value) => value === null || value === undefined)) return JSON.stringify(base);
  return JSON.stringify([...base, ...newer]);
}

function timeRange(field: string, range: TimeRange | undefined): TimeRange | undefined {
  if (range === undefined || (range.from === undefined && range.to === undefined)) return undefined;
  if (range.from !== undefined && range.to !== undefined && range.from.getTime() > range.to.getTime()) {
    throw invalidArgument(`${field}.from`, `must not be after ${field}.to`);
  }
  return { ...(range.from && { from: range.from }), ...(range.to && { to: range.to }) };
}
