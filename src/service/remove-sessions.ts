import { create } from "@bufbuild/protobuf";
import {
  RemoveSessionsResponseSchema,
  type RemoveSessionsRequest,
  type RemoveSessionsResponse,
} from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { parseRemovalRequest } from "../domain/removal-request.js";
import type { Stores } from "../store/stores.js";
import { terminateSessions } from "./terminate-sessions.js";

/** What RemoveSessions needs. */
export interface RemoveSessionsDeps {
  stores: Pick<Stores, "transaction">;
  /** Woken after a commit that queued notifications, so delivery starts at once. */
  notifier: { wake(): void };
  now?: () => Date;
}

/** RemoveSessions: validate, terminate in one transaction, wake the notifier, report the counts. */
export function createRemoveSessions(deps: RemoveSessionsDeps) {
  const now = deps.now ?? (() => new Date());
  return async function removeSessions(request: RemoveSessionsRequest, signal: AbortSignal): Promise<RemoveSessionsResponse> {
    const removal = parseRemovalRequest(request);
    // Once the transaction starts it runs to its end: a call cancelled after
    // that point still commits (or rolls back) as a whole.
    signal.throwIfAborted();
    const outcome = await terminateSessions(deps.stores, removal, "admin_removal", now());
    if (outcome.notificationsQueued > 0) deps.notifier.wake();
    return create(RemoveSessionsResponseSchema, outcome);
  };
}
