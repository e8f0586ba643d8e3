import { limits } from "./limits.js";
import { optionalTextField } from "./text-field.js";

/**
 * A validated QuerySessions filter. Absent fields do not filter; present ones
 * combine with AND.
 */
export interface SessionFilter {
  subjectId?: string;
  sessionId?: string;
  /** Case-insensitive prefix of the display name, as given. */
  displayNamePrefix?: string;
  clientId?: string;
}

/** The filter fields of a QuerySessions request. */
export interface SessionFilterInput {
  subjectId: string;
  sessionId: string;
  displayName: string;
  clientId: string;
}

/** Validates the filter fields; throws invalid_argument naming the field. */
export function parseSessionFilter(input: SessionFilterInput): SessionFilter {
  return {
    subjectId: optionalTextField("subject_id", input.subjectId, limits.identifier),
    sessionId: optionalTextField("session_id", input.sessionId, limits.identifier),
    displayNamePrefix: optionalTextField("display_name", input.displayName, limits.displayName),
    clientId: optionalTextField("client_id", input.clientId, limits.identifier),
  };
}

/** A stable string for the filter, used to bind page tokens and cache counts. */
export function sessionFilterKey(filter: SessionFilter): string {
  return JSON.stringify([filter.subjectId, filter.sessionId, filter.displayNamePrefix, filter.clientId]);
}
