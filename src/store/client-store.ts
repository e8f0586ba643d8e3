import type { Client } from "../domain/client.js";
import type { PageCursor } from "./page-cursor.js";

export type { Client, LogoutTokenType } from "../domain/client.js";

/** A registered client with the store's registration-ordered key, used for keyset paging. */
export interface ListedClient extends Client {
  pk: number;
}

/** The registry of relying-party clients. */
export interface ClientStore {
  /** Creates or replaces a client; a replaced client keeps its place in the listing. */
  put(client: Client): Promise<void>;
  get(clientId: string): Promise<Client | undefined>;
  /** Of the given clients, those that are enabled and have a back-channel logout URI. */
  findNotifiable(clientIds: readonly string[]): Promise<Set<string>>;
  /** Up to `limit` clients beyond the cursor in registration order, nearest to the cursor first. */
  findPage(cursor: PageCursor, limit: number): Promise<ListedClient[]>;
  /** Whether any client lies beyond the cursor. */
  existsBeyond(cursor: PageCursor): Promise<boolean>;
  /** The number of registered clients. */
  count(): Promise<number>;
  /** Removes a client; returns whether it was registered. */
  delete(clientId: string): Promise<boolean>;
}
