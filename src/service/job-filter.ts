import { create, fromJson, toJson, type JsonObject } from "@bufbuild/protobuf";
import { SessionFilterSchema, type SessionFilter as SessionFilterMessage } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { parseBulkSessionFilter, prefixFieldErrors } from "../domain/bulk-session-filter.js";
import type { SessionFilter } from "../domain/session-filter.js";
import type { JobDefinition } from "../domain/termination-job.js";
import { filterInputOf } from "./session-query.js";

/**
 * Validates a SessionFilter message into the domain filter (see
 * parseBulkSessionFilter); `confirmAll`: an empty filter needs all_sessions.
 */
export function sessionFilterOf(message: SessionFilterMessage | undefined, confirmAll: boolean): SessionFilter {
  const fields = message ?? create(SessionFilterSchema);
  // Times and the state are read from the message first: their errors name the field under `filter.` too.
  const input = prefixFieldErrors("filter.", () => filterInputOf(fields));
  return parseBulkSessionFilter({ ...input, allSessions: fields.allSessions }, confirmAll);
}

/** The filter message as a job definition keeps it. */
export function filterToJson(message: SessionFilterMessage | undefined): JobDefinition["filter"] {
  return toJson(SessionFilterSchema, message ?? create(SessionFilterSchema)) as JsonObject;
}

/** The filter message a job definition keeps. */
export function filterMessageOf(definition: JobDefinition): SessionFilterMessage {
  return fromJson(SessionFilterSchema, definition.filter as JsonObject, { ignoreUnknownFields: true });
}

/** The domain filter of a job, parsed again as at its start. */
export function jobSessionFilter(definition: JobDefinition): SessionFilter {
  return sessionFilterOf(filterMessageOf(definition), true);
}
