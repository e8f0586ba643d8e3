import type { SessionFilter, TimeRange } from "./session-filter.js";

/** A time column whose index a walk over sessions can read in (column, id) order. */
export type WalkColumn = "created" | "renewed" | "expires";

/** Which index a walk over a filter reads: recording order (`id`), or a time column's, ties broken by id. */
export type SessionWalk = "id" | WalkColumn;

const columns: readonly WalkColumn[] = ["created", "renewed", "expires"];

/**
 * The walk a QuerySessions filter is served by. A filter that pins few rows
 * (subject, session id, an exact sign-in address) walks recording order on
 * its own index. Otherwise a time range bounds the walk: the walk reads that
 * column's index from the range's start, so its cost does not depend on how
 * many sessions lie outside the range. `state` counts as a range on expires:
 * expired ends at the query's now, active starts there (and, without an
 * expires range, also holds the sessions that never expire, which come after
 * every expiring one: see walkIncludesNeverExpiring). With several ranges:
 * the first of created, renewed, expires whose range has both ends, else the
 * first of them that has a range. Every other filter is checked on the rows
 * the walk reads.
 */
export function sessionWalkOf(filter: SessionFilter): SessionWalk {
  if (filter.subjectId !== undefined || filter.sessionId !== undefined) return "id";
  if (filter.ipAddress !== undefined && Buffer.compare(filter.ipAddress.from, filter.ipAddress.to) === 0) return "id";
  const ranges: Record<WalkColumn, TimeRange | undefined> = {
    created: filter.created,
    renewed: filter.renewed,
    expires: expiresRange(filter),
  };
  const bounded = columns.find((column) => ranges[column]?.from !== undefined && ranges[column]?.to !== undefined);
  return bounded ?? columns.find((column) => ranges[column] !== undefined) ?? "id";
}

function expiresRange(filter: SessionFilter): TimeRange | undefined {
  const now = filter.now ?? new Date();
  if (filter.state === "expired") return { from: filter.expires?.from, to: filter.expires?.to ?? now };
  if (filter.state === "active") return { from: filter.expires?.from ?? now, to: filter.expires?.to };
  return filter.expires;
}

/**
 * The place of a session that never expires in a walk over expiry times:
 * after every time a session can hold (the years 1000 to 9999).
 */
export const neverExpires = Date.UTC(10000, 0, 1);

/**
 * Whether a walk over expiry times also holds the sessions that never expire
 * (`state` active without an expires range): they come after the expiring
 * ones, in recording order, read from the NULL entries of the same index.
 */
export function walkIncludesNeverExpiring(filter: SessionFilter, walk: SessionWalk): boolean {
  return walk === "expires" && filter.state === "active" && filter.expires === undefined;
}

/** A session's value in a walk over a time column (never expiring: neverExpires); undefined in recording order. */
export function walkValueOf(session: { created: Date; renewed: Date; expires?: Date }, walk: SessionWalk): number | undefined {
  if (walk === "id") return undefined;
  if (walk === "expires") return session.expires?.getTime() ?? neverExpires;
  return session[walk].getTime();
}
