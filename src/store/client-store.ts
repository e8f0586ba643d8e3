/** A relying party and its back-channel logout settings. */
export interface Client {
  clientId: string;
  enabled: boolean;
  /** Where logout tokens are POSTed; the only source of notification URLs. */
  backchannelLogoutUri?: string;
  backchannelLogoutSessionRequired: boolean;
}

/** The registry of relying-party clients. */
export interface ClientStore {
  /** Creates or replaces a client. */
  put(client: Client): Promise<void>;
  get(clientId: string): Promise<Client | undefined>;
  /** Of the given clients, those that are enabled and have a back-channel logout URI. */
  findNotifiable(clientIds: readonly string[]): Promise<Set<string>>;
}
