/** The `typ` header a client's logout tokens carry; some relying-party libraries reject `logout+jwt`. */
export type LogoutTokenType = "logout+jwt" | "JWT" | "none";

/** The type of clients registered without one, as OpenID Connect Back-Channel Logout 1.0 recommends. */
export const defaultLogoutTokenType: LogoutTokenType = "logout+jwt";

/** Every logout token type, in the order the API lists them. */
export const logoutTokenTypes: readonly LogoutTokenType[] = ["logout+jwt", "JWT", "none"];

/** A relying party and its back-channel logout settings. */
export interface Client {
  clientId: string;
  enabled: boolean;
  /** Where logout tokens are POSTed; the only source of notification URLs. */
  backchannelLogoutUri?: string;
  backchannelLogoutSessionRequired: boolean;
  /** Defaults to `logout+jwt`. */
  logoutTokenType?: LogoutTokenType;
}
