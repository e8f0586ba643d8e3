import type { RemovalRequest } from "./removal-request.js";

/** A session selected for termination, with the clients it signed in to. */
export interface TerminatedSession {
  pk: number;
  subjectId: string;
  sessionId?: string;
  issuer?: string;
  clientIds: readonly string[];
}

/** Why sessions end; carried by their logout notifications. */
export type TerminationReason = "admin_removal" | "user_logout" | "expired";

/** One back-channel logout notification to queue. */
export interface PlannedNotification {
  clientId: string;
  subjectId: string;
  sessionId?: string;
  issuer?: string;
  reason: TerminationReason;
}

/** Consents to revoke: one subject's consents for some or all clients. */
export interface ConsentRevocation {
  subjectId: string;
  /** undefined means every client */
  clientIds?: readonly string[];
}

/**
 * Who gets a logout notification: for each session, its clients, restricted
 * to the request's clients if any, and to clients that can receive one
 * (enabled, with a back-channel logout URI), except `except`: the client that
 * initiated a user logout already knows. One per (session × client).
 */
export function planNotifications(
  sessions: readonly TerminatedSession[],
  restrictTo: ReadonlySet<string> | undefined,
  notifiable: ReadonlySet<string>,
  reason: TerminationReason,
  except?: string,
): PlannedNotification[] {
  return sessions.flatMap((session) =>
    unique(session.clientIds)
      .filter((clientId) => (restrictTo === undefined || restrictTo.has(clientId)) && notifiable.has(clientId) && clientId !== except)
      .map((clientId) => ({
        clientId,
        subjectId: session.subjectId,
        sessionId: session.sessionId,
        issuer: session.issuer,
        reason,
      })),
  );
}

/**
 * Which consents to revoke. Consents belong to a subject and a client, not to
 * a session: for a subject-wide request, the subject's consents (for the
 * requested clients, if any); for a request naming sessions (by session id or
 * otherwise), the consents of each matched session's subject for that
 * session's clients.
 */
export function planConsentRevocations(
  request: Pick<RemovalRequest, "subjectId" | "sessionId" | "clientIds">,
  sessions: readonly TerminatedSession[],
): ConsentRevocation[] {
  const restrictTo = request.clientIds;
  if (request.subjectId !== undefined && request.sessionId === undefined) {
    return [{ subjectId: request.subjectId, clientIds: restrictTo && [...restrictTo] }];
  }
  const bySubject = new Map<string, Set<string>>();
  for (const session of sessions) {
    const clients = bySubject.get(session.subjectId) ?? new Set<string>();
    for (const clientId of session.clientIds) {
      if (restrictTo === undefined || restrictTo.has(clientId)) clients.add(clientId);
    }
    bySubject.set(session.subjectId, clients);
  }
  return [...bySubject]
    .filter(([, clients]) => clients.size > 0)
    .map(([subjectId, clients]) => ({ subjectId, clientIds: [...clients] }));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
