import { invalidArgument } from "./errors.js";

/** Page size used when a request asks for 0 results. */
export const defaultPageSize = 25;
/** Larger requests are clamped to this page size. */
export const maxPageSize = 1000;

/** Page size limit of lists whose items carry opaque payloads (tickets, grant data). */
export const maxPayloadPageSize = 100;

/** Resolves `count_requested` to the page size actually served, at most `max`. */
export function resolvePageSize(countRequested: number, max = maxPageSize): number {
  if (!Number.isInteger(countRequested)) throw invalidArgument("count_requested", "must be an integer");
  if (countRequested < 0) throw invalidArgument("count_requested", "must not be negative");
  if (countRequested === 0) return defaultPageSize;
  return Math.min(countRequested, max);
}
