/** What an administrator chose to end: one session, or every session of a subject. */
export type RemovalTarget = { kind: "session"; subjectId: string; sessionId: string } | { kind: "subject"; subjectId: string };

/** The four switches of RemoveSessions, and the clients to limit revocation and notifications to (empty: all). */
export interface RemovalOptions {
  removeSession: boolean;
  revokeTokens: boolean;
  revokeConsents: boolean;
  notifyClients: boolean;
  clientIds: string[];
}

/** The RemoveSessions request for a target and options (every switch sent explicitly). */
export function removalRequest(target: RemovalTarget, options: RemovalOptions) {
  return {
    subjectId: target.subjectId,
    sessionId: target.kind === "session" ? target.sessionId : "",
    clientIds: options.clientIds,
    removeServerSideSession: options.removeSession,
    revokeTokens: options.revokeTokens,
    revokeConsents: options.revokeConsents,
    sendBackchannelLogoutNotification: options.notifyClients,
  };
}

/** "session sid-1 of subject alice" or "all sessions of subject alice". */
export function describeTarget(target: RemovalTarget): string {
  return target.kind === "session"
    ? `session ${target.sessionId} of subject ${target.subjectId}`
    : `all sessions of subject ${target.subjectId}`;
}

/** The sentences the confirmation shows: exactly what the call will do. Empty when nothing is chosen. */
export function describePlan(target: RemovalTarget, options: RemovalOptions): string[] {
  const which = target.kind === "session" ? "this session" : "these sessions";
  const chosen = options.clientIds.length === 1 ? `client ${options.clientIds[0]}` : `clients ${options.clientIds.join(", ")}`;
  const scope = options.clientIds.length === 0 ? "" : `, only for ${chosen}`;
  const steps: string[] = [];
  if (options.removeSession) steps.push(`Delete the server-side record of ${describeTarget(target)}; the user must sign in again.`);
  if (options.revokeTokens) steps.push(`Revoke the refresh tokens, reference tokens and authorization codes issued to ${which}${scope}.`);
  if (options.revokeConsents) steps.push(`Revoke the consents subject ${target.subjectId} gave to the clients of ${which}${scope}.`);
  if (options.notifyClients) {
    const to = options.clientIds.length === 0 ? `every client of ${which} that has a back-channel logout URI` : `${chosen}, if registered with a back-channel logout URI`;
    steps.push(`Send a back-channel logout notification for ${which} to ${to}.`);
  }
  return steps;
}

/** Client ids from a comma- or space-separated text, trimmed, without duplicates. */
export function parseClientIds(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((id) => id !== ""))];
}
