import { grantTypes, tokenGrantTypes } from "../domain/grant-types.js";
import type { RemovalRequest } from "../domain/removal-request.js";
import {
  planConsentRevocations,
  planNotifications,
  type TerminationReason,
} from "../domain/termination-plan.js";
import type { Stores } from "../store/stores.js";

/** What one termination changed. */
export interface TerminationOutcome {
  sessionsRemoved: number;
  tokensRevoked: number;
  consentsRevoked: number;
  notificationsQueued: number;
  /** The session ids of the sessions matched. */
  sessionIds: string[];
}

/**
 * Terminates the sessions a request selects, in one transaction: locks the
 * matching sessions, revokes token grants and consents as asked, queues one
 * logout notification per (session × notifiable client) in the outbox, and
 * removes the session records. Either all of it commits or none of it.
 */
export async function terminateSessions(
  stores: Pick<Stores, "transaction">,
  request: RemovalRequest,
  reason: TerminationReason,
  now: Date,
): Promise<TerminationOutcome> {
  const restrictTo = request.clientIds && [...request.clientIds];
  return stores.transaction(async (tx) => {
    const sessions = await tx.sessions.findForTermination({ subjectId: request.subjectId, sessionId: request.sessionId });

    const tokensRevoked = request.revokeTokens
      ? await tx.grants.removeAll({
          subjectId: request.subjectId,
          sessionId: request.sessionId,
          clientIds: restrictTo,
          types: tokenGrantTypes,
        })
      : 0;

    let consentsRevoked = 0;
    if (request.revokeConsents) {
      for (const consents of planConsentRevocations(request, sessions)) {
        consentsRevoked += await tx.grants.removeAll({
          subjectId: consents.subjectId,
          clientIds: consents.clientIds,
          types: [grantTypes.userConsent],
        });
      }
    }

    let notificationsQueued = 0;
    if (request.sendBackchannelLogoutNotification && sessions.length > 0) {
      const candidates = sessions.flatMap((s) => s.clientIds).filter((c) => request.clientIds?.has(c) ?? true);
      const notifiable = await tx.clients.findNotifiable(candidates);
      notificationsQueued = await tx.outbox.enqueue(planNotifications(sessions, request.clientIds, notifiable, reason), now);
    }

    const sessionsRemoved = request.removeServerSideSession ? await tx.sessions.deleteByPks(sessions.map((s) => s.pk)) : 0;

    return {
      sessionsRemoved,
      tokensRevoked,
      consentsRevoked,
      notificationsQueued,
      sessionIds: sessions.flatMap((s) => (s.sessionId === undefined ? [] : [s.sessionId])),
    };
  });
}
