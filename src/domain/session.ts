/**
 * A server-side session as the stores return it. `pk` is the store's
 * insertion-ordered key, used for keyset paging; it never leaves the service.
 * The opaque ticket is not part of it: it is never returned to clients.
 */
export interface StoredSession {
  pk: number;
  key: string;
  scheme: string;
  subjectId: string;
  sessionId?: string;
  displayName?: string;
  issuer?: string;
  created: Date;
  renewed: Date;
  expires?: Date;
  clientIds: string[];
}

/** A session as an identity provider records it. */
export interface NewSession {
  key: string;
  scheme: string;
  subjectId: string;
  sessionId?: string;
  displayName?: string;
  issuer?: string;
  created: Date;
  renewed: Date;
  expires?: Date;
  clientIds: string[];
  ticket: Uint8Array;
}
