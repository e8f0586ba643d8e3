/** The `typ` header a client's logout tokens carry; some relying-party libraries reject `logout+jwt`. */
export type LogoutTokenType = "logout+jwt" | "JWT" | "none";

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

/** The registry of relying-party clients. */
export interface ClientStore {
  /** Creates or replaces a client. */
  put(client: Client): Promise<void>;
  get(clientId: string): Promise<Client | undefined>;
  /** Of the given clients, those that are enabled and have a back-channel logout URI. */
  findNotifiable(clientIds: readonly string[]): Promise<Set<string>>;
}
