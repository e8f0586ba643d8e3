import { grantTypes, tokenGrantTypes } from "../domain/grant-types.js";
import type { RemovalRequest } from "../domain/removal-request.js";
import {
  planConsentRevocations,
  planNotifications,
  type TerminatedSession,
  type TerminationReason,
} from "../domain/termination-plan.js";
import type { TerminationSelector } from "../store/session-store.js";
import type { StoreSet, Stores } from "../store/stores.js";

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
 * What to terminate and how: the sessions of a subject and/or with a session
 * id (RemoveSessions, DeleteSessions), or the one session with a key
 * (DeleteSession), and the actions of a RemovalRequest. Without a selector it
 * describes only the actions, for sessions selected otherwise (the sweeper).
 */
export type TerminationRequest = Omit<RemovalRequest, "subjectId" | "sessionId"> &
  TerminationSelector & {
    /** Gets no notification: the client whose user logged out there already knows. */
    exceptClientId?: string;
  };

/**
 * Terminates the sessions a request selects, in one transaction: locks the
 * matching sessions, revokes token grants and consents as asked, queues one
 * logout notification per (session × notifiable client) in the outbox, and
 * removes the session records. Either all of it commits or none of it.
 */
export async function terminateSessions(
  stores: Pick<Stores, "transaction">,
  request: TerminationRequest,
  reason: TerminationReason,
  now: Date,
): Promise<TerminationOutcome> {
  const selector = { subjectId: request.subjectId, sessionId: request.sessionId, key: request.key };
  return stores.transaction(async (tx) => terminateSelected(tx, await tx.sessions.findForTermination(selector), request, reason, now));
}

/**
 * Terminates sessions already selected and locked in the transaction `tx`,
 * as terminateSessions does after its selection. Token grants are revoked by
 * the request's subject and/or session id when it has them (also grants not
 * bound to a matched session, as RemoveSessions promises); otherwise those
 * bound to each terminated session (same subject and session id).
 */
export async function terminateSelected(
  tx: StoreSet,
  sessions: readonly TerminatedSession[],
  request: TerminationRequest,
  reason: TerminationReason,
  now: Date,
): Promise<TerminationOutcome> {
  const restrictTo = request.clientIds && [...request.clientIds];
  const bySelector = request.subjectId !== undefined || request.sessionId !== undefined;

  let tokensRevoked = 0;
  let consentsRevoked = 0;
  // All subjects' consents in a few statements: a batch of sessions has
  // hundreds of subjects, and a statement per subject would dominate it.
  const consents = request.revokeConsents ? planConsentRevocations(request, sessions) : [];
  if (request.revokeTokens && bySelector) {
    tokensRevoked = await tx.grants.removeAll({
      subjectId: request.subjectId,
      sessionId: request.sessionId,
      clientIds: restrictTo,
      types: tokenGrantTypes,
    });
    if (request.revokeConsents) consentsRevoked = await tx.grants.removeOfSubjects(consents, [grantTypes.userConsent]);
  } else {
    // Tokens bound to the sessions and their subjects' consents, read together by subject.
    const removed = await tx.grants.removeOfSessions(
      sessions,
      { types: request.revokeTokens ? tokenGrantTypes : [], clientIds: restrictTo },
      { subjects: consents, types: request.revokeConsents ? [grantTypes.userConsent] : [] },
    );
    tokensRevoked = removed.tokens;
    consentsRevoked = removed.consents;
  }

  let notificationsQueued = 0;
  if (request.sendBackchannelLogoutNotification && sessions.length > 0) {
    const candidates = sessions
      .flatMap((s) => s.clientIds)
      .filter((c) => (request.clientIds?.has(c) ?? true) && c !== request.exceptClientId);
    const notifiable = await tx.clients.findNotifiable(candidates);
    notificationsQueued = await tx.outbox.enqueue(
      planNotifications(sessions, request.clientIds, notifiable, reason, request.exceptClientId),
      now,
    );
  }

  const sessionsRemoved = request.removeServerSideSession ? await tx.sessions.deleteByPks(sessions.map((s) => s.pk)) : 0;

  return {
    sessionsRemoved,
    tokensRevoked,
    consentsRevoked,
    notificationsQueued,
    sessionIds: sessions.flatMap((s) => (s.sessionId === undefined ? [] : [s.sessionId])),
  };
}
