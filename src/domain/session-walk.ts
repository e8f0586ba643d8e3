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
 * many sessions lie outside the range. `state: expired` counts as a range on
 * expires (up to the query's now); `state: active` does not, as it also
 * matches sessions that never expire, which lie outside every expiry range.
 * With several ranges: the first of created, renewed, expires whose range has
 * both ends, else the first of them that has a range. Every other filter is
 * checked on the rows the walk reads.
 */
export function sessionWalkOf(filter: SessionFilter): SessionWalk {
  if (filter.subjectId !== undefined || filter.sessionId !== undefined) return "id";
  if (filter.ipAddress !== undefined && Buffer.compare(filter.ipAddress.from, filter.ipAddress.to) === 0) return "id";
  const ranges: Record<WalkColumn, TimeRange | undefined> = {
    created: filter.created,
    renewed: filter.renewed,
    expires: filter.state === "expired" ? { from: filter.expires?.from, to: filter.expires?.to ?? filter.now ?? new Date() } : filter.expires,
  };
  const bounded = columns.find((column) => ranges[column]?.from !== undefined && ranges[column]?.to !== undefined);
  return bounded ?? columns.find((column) => ranges[column] !== undefined) ?? "id";
}
