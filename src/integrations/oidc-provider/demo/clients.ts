import type { ClientMetadata } from "oidc-provider";

/** The demo relying party's client id. */
export const demoClientId = "demo-rp";

/** Where express-openid-connect receives logout tokens, under the relying party's URL. */
export const backchannelLogoutPath = "/backchannel-logout";

/** The relying party as the provider registers it (a confidential web client with back-channel logout). */
export function providerClient(rpUrl: string, clientSecret: string, clientId = demoClientId): ClientMetadata {
  return {
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [`${rpUrl}/callback`],
    post_logout_redirect_uris: [rpUrl],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    backchannel_logout_uri: `${rpUrl}${backchannelLogoutPath}`,
    backchannel_logout_session_required: true,
  };
}

/** The relying parties as the service's clients file registers them: where their logout tokens go. */
export function serviceClientsFile(rps: ReadonlyArray<{ url: string; clientId?: string }>): { clients: Array<Record<string, unknown>> } {
  return {
    clients: rps.map((rp) => ({
      client_id: rp.clientId ?? demoClientId,
      backchannel_logout_uri: `${rp.url}${backchannelLogoutPath}`,
      backchannel_logout_session_required: true,
    })),
  };
}
