import { DomainError } from "./errors.js";
import { parseSessionFilter, type SessionFilter, type SessionFilterInput } from "./session-filter.js";

/** The fields of a SessionFilter message: the QuerySessions filters and the explicit "all sessions". */
export type BulkSessionFilterInput = SessionFilterInput & { allSessions: boolean };

/**
 * The one mapping from a bulk SessionFilter to the domain filter: the same
 * validation as QuerySessions (so every filter QuerySessions gains flows
 * through), plus the rule that an empty filter means every session only when
 * `allSessions` confirms it (required when `confirmAll`: terminations), and
 * that a confirmation never comes with a narrowing field.
 */
export function parseBulkSessionFilter(input: BulkSessionFilterInput, confirmAll: boolean, prefix = "filter."): SessionFilter {
  const filter = prefixFieldErrors(prefix, () => parseSessionFilter(input));
  const empty = Object.values(filter).every((value) => value === undefined);
  if (empty && confirmAll && !input.allSessions) {
    throw new DomainError(
      "invalid_argument",
      `${prefix}all_sessions: an empty filter matches every session; set all_sessions to confirm, or give a filter`,
      `${prefix}all_sessions`,
    );
  }
  if (!empty && input.allSessions) {
    throw new DomainError("invalid_argument", `${prefix}all_sessions: must be false when a filter field is set`, `${prefix}all_sessions`);
  }
  return filter;
}

/** Runs `parse`; a field error it throws names the field under its message (`prefix`, e.g. "filter."). */
export function prefixFieldErrors<T>(prefix: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof DomainError && error.field !== undefined) {
      throw new DomainError(error.code, `${prefix}${error.message}`, `${prefix}${error.field}`, { cause: error });
    }
    throw error;
  }
}
