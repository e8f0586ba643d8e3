import type { QuerySessionsRequest, TimeRange as TimeRangeMessage } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { SessionOrder, SessionState } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { invalidArgument } from "../domain/errors.js";
import { parseSessionFilter, type SessionFilter, type SessionFilterInput, type SessionOrder as DomainOrder, type TimeRange } from "../domain/session-filter.js";
import { dateOf } from "./timestamps.js";

/** The filter fields QuerySessions shares with the SessionFilter of terminations and exports. */
export type SessionFilterFields = Pick<
  QuerySessionsRequest,
  "subjectId" | "sessionId" | "displayName" | "clientId" | "created" | "renewed" | "expires" | "state" | "issuer" | "ipAddress"
>;

/** A QuerySessions request's filter, validated; errors name the field. */
export function sessionFilterOf(request: QuerySessionsRequest): SessionFilter {
  return parseSessionFilter(filterInputOf(request));
}

/** The filter fields of a message, as the domain takes them; a time or state this server cannot read is INVALID_ARGUMENT naming it. */
export function filterInputOf(request: SessionFilterFields): SessionFilterInput {
  return {
    subjectId: request.subjectId,
    sessionId: request.sessionId,
    displayName: request.displayName,
    clientId: request.clientId,
    created: timeRangeOf("created", request.created),
    renewed: timeRangeOf("renewed", request.renewed),
    expires: timeRangeOf("expires", request.expires),
    state: stateOf(request.state),
    issuer: request.issuer,
    ipAddress: request.ipAddress,
  };
}

/** A QuerySessions request's order; a value this server does not know is INVALID_ARGUMENT (`order`). */
export function sessionOrderOf(request: Pick<QuerySessionsRequest, "order">): DomainOrder {
  switch (request.order) {
    case SessionOrder.UNSPECIFIED:
    case SessionOrder.OLDEST_FIRST:
      return "oldest_first";
    case SessionOrder.NEWEST_FIRST:
      return "newest_first";
    default:
      throw invalidArgument("order", `unknown value ${String(request.order)}`);
  }
}

function stateOf(state: SessionState): SessionFilter["state"] {
  switch (state) {
    case SessionState.UNSPECIFIED:
      return undefined;
    case SessionState.ACTIVE:
      return "active";
    case SessionState.EXPIRED:
      return "expired";
    default:
      throw invalidArgument("state", `unknown value ${String(state)}`);
  }
}

function timeRangeOf(field: string, range: TimeRangeMessage | undefined): TimeRange | undefined {
  if (range === undefined) return undefined;
  return { from: dateOf(`${field}.from`, range.from), to: dateOf(`${field}.to`, range.to) };
}
