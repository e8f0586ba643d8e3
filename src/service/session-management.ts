import type { ConnectRouter } from "@connectrpc/connect";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { createQuerySessions, type QuerySessionsDeps } from "./query-sessions.js";
import { createRemoveSessions, type RemoveSessionsDeps } from "./remove-sessions.js";

/** Registers the SessionManagement service on a router. */
export function registerSessionManagement(router: ConnectRouter, deps: QuerySessionsDeps & RemoveSessionsDeps): void {
  const querySessions = createQuerySessions(deps);
  const removeSessions = createRemoveSessions(deps);
  router.service(SessionManagement, {
    querySessions: (request, context) => querySessions(request, context.signal),
    removeSessions: (request, context) => removeSessions(request, context.signal),
  });
}
