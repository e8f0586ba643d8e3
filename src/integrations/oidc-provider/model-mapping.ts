import { grantTypes, type GrantType } from "../../domain/grant-types.js";

/**
 * Where each oidc-provider model is kept:
 *
 * * `session`: logged-in sessions, in SessionStore (sessions without an
 *   account, before login, go to the short-lived store: SessionStore records
 *   only sessions with a subject);
 * * a grant type: the model's records, in GrantStore under that type, so that
 *   terminating a session revokes them;
 * * `short-lived`: state that lives for seconds to an hour and belongs to no
 *   user's session yet (interactions, replay detection, pushed requests), initial access tokens (they name no client), or
 *   that the service does not model (dynamically registered clients), kept
 *   by the deployment's short-lived adapter (in memory by default).
 */
export type ModelPlace = { kind: "session" } | { kind: "grant"; type: GrantType } | { kind: "short-lived" };

const places: Readonly<Record<string, ModelPlace>> = {
  Session: { kind: "session" },
  AuthorizationCode: { kind: "grant", type: grantTypes.authorizationCode },
  PreAuthorizedCode: { kind: "grant", type: grantTypes.authorizationCode },
  AccessToken: { kind: "grant", type: grantTypes.referenceToken },
  ClientCredentials: { kind: "grant", type: grantTypes.referenceToken },
  RegistrationAccessToken: { kind: "grant", type: grantTypes.referenceToken },
  RefreshToken: { kind: "grant", type: grantTypes.refreshToken },
  Grant: { kind: "grant", type: grantTypes.userConsent },
  DeviceCode: { kind: "grant", type: grantTypes.deviceCode },
  BackchannelAuthenticationRequest: { kind: "grant", type: grantTypes.ciba },
};

/** Where a model's records go; models not listed (Interaction, ReplayDetection, PushedAuthorizationRequest, Client, ...) are short-lived. */
export function placeOf(model: string): ModelPlace {
  return places[model] ?? { kind: "short-lived" };
}

/** The models stored in GrantStore whose records carry a `grantId` (revoked together by revokeByGrantId). */
export const grantBoundModels: readonly string[] = [
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
  "PreAuthorizedCode",
];

/** The GrantStore key of a model's record: the model name keeps ids of different models apart. */
export function grantKey(model: string, id: string): string {
  return `${model}:${id}`;
}

/** The model a GrantStore key belongs to, or undefined for keys this adapter did not write. */
export function modelOfKey(key: string): string | undefined {
  const colon = key.indexOf(":");
  return colon > 0 ? key.slice(0, colon) : undefined;
}
