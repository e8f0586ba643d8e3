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
    // The transaction is bound to the call (see deadline-interceptor.ts): a
    // call that ends before COMMIT is sent rolls back as a whole; one that
    // ends while COMMIT is in flight has an unknown, all-or-nothing outcome.
    signal.throwIfAborted();
    const outcome = await terminateSessions(deps.stores, removal, "admin_removal", now());
    if (outcome.notificationsQueued > 0) deps.notifier.wake();
    return create(RemoveSessionsResponseSchema, outcome);
  };
}
