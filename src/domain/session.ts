import type { LastSeenReport, SessionMetadata } from "./session-metadata.js";

/** What an identity provider records about a login session. */
interface SessionFields {
  /** The handle the identity provider uses for the session. */
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

/**
 * A server-side session as the stores return it. `pk` is the store's
 * insertion-ordered key, used for keyset paging; it never leaves the service.
 * The opaque ticket is not part of it: it is never returned to clients.
 */
export interface StoredSession extends SessionFields {
  pk: number;
  metadata: SessionMetadata;
}

/** A session as an identity provider records it, with its opaque ticket. */
export interface NewSession extends SessionFields {
  ticket: Uint8Array;
  /** Unset: nothing known but the last-seen time, `created`. */
  metadata?: SessionMetadata;
}

/** A stored session with its opaque ticket, as the identity provider reads it back. */
export interface SessionRecord extends StoredSession {
  ticket: Uint8Array;
}

/** Changes to a stored session; absent fields stay as they are. */
export interface SessionChanges {
  renewed?: Date;
  /** null: the session no longer expires. */
  expires?: Date | null;
  /** null: the session no longer has a display name. */
  displayName?: string | null;
  /** Clients to add to the session's list, or with `replace` its whole new list. */
  clientIds?: { ids: readonly string[]; replace: boolean };
  ticket?: Uint8Array;
  /** Recorded only when `lastSeenIsNews` against what is stored. */
  lastSeen?: LastSeenReport;
  /** The complete new `amr` list. */
  amr?: string[];
  /** null: the session no longer has an `acr`. */
  acr?: string | null;
  /** Attributes to set, or with `replace` the complete new set. */
  attributes?: { values: Record<string, string>; replace: boolean };
}
