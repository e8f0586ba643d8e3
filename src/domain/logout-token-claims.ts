/** The event that marks a JWT as a logout token (Back-Channel Logout 1.0, section 2.4). */
export const backchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

/** Seconds a logout token stays valid after it is issued; the spec recommends about two minutes. */
export const logoutTokenLifetimeSeconds = 120;

/** The claims of a logout token, in the order they are written. */
export interface LogoutTokenClaims {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  events: { [backchannelLogoutEvent]: Record<string, never> };
  sub: string;
  sid?: string;
}

/** What a logout token is minted from: one outbox row and its client. */
export interface LogoutTokenInput {
  /** The session's issuer; undefined when the identity provider recorded none. */
  sessionIssuer?: string;
  /** The configured issuer, used when the session has none. */
  defaultIssuer?: string;
  clientId: string;
  subjectId: string;
  sessionId?: string;
  /** The client only accepts tokens that carry a `sid`. */
  sessionRequired: boolean;
  now: Date;
  /** Unique per token. */
  jti: string;
}

/**
 * The claims of a logout token per OpenID Connect Back-Channel Logout 1.0
 * (errata set 1): `iss` exactly as the session recorded it (else the
 * configured issuer), `aud` the client id as a single string, `exp` at most
 * 120 s after `iat`, the back-channel logout event, `sub`, and `sid` when the
 * session has one; never `nonce`. Returns why no token can be made instead of
 * throwing: no issuer at all, or a client that requires a `sid` for a session
 * without one.
 */
export function logoutTokenClaims(input: LogoutTokenInput): { claims: LogoutTokenClaims } | { error: string } {
  const iss = input.sessionIssuer ?? input.defaultIssuer;
  if (iss === undefined || iss === "") return { error: "no issuer: the session has none and --issuer is not set" };
  if (input.sessionRequired && input.sessionId === undefined) {
    return { error: "the client requires a session id (backchannel_logout_session_required) and the session has none" };
  }
  const iat = Math.floor(input.now.getTime() / 1000);
  return {
    claims: {
      iss,
      aud: input.clientId,
      iat,
      exp: iat + logoutTokenLifetimeSeconds,
      jti: input.jti,
      events: { [backchannelLogoutEvent]: {} },
      sub: input.subjectId,
      ...(input.sessionId === undefined ? {} : { sid: input.sessionId }),
    },
  };
}
