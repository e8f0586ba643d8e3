import type { GrantType } from "./grant-types.js";

/** A persisted grant: a token, code or consent issued by the identity provider. */
export interface Grant {
  key: string;
  type: GrantType;
  subjectId?: string;
  sessionId?: string;
  clientId: string;
  description?: string;
  creationTime: Date;
  expiration?: Date;
  consumedTime?: Date;
  /** The identity provider's serialized grant, opaque to the service. */
  data: Uint8Array;
}

/**
 * Selects grants; fields combine with AND. `subjectId` or `sessionId` must be
 * set: no operation ever applies to all grants of all users, and every
 * selection is served by an index that starts with one of them.
 */
export interface GrantFilter {
  subjectId?: string;
  sessionId?: string;
  clientIds?: readonly string[];
  types?: readonly GrantType[];
}
