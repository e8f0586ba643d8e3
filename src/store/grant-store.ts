import type { GrantType } from "../domain/grant-types.js";

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
  /** Opaque serialized grant. */
  data: string;
}

/**
 * Selects grants; fields combine with AND. `subjectId` or `sessionId` must be
 * set: no operation ever applies to all grants of all users.
 */
export interface GrantFilter {
  subjectId?: string;
  sessionId?: string;
  clientIds?: readonly string[];
  types?: readonly GrantType[];
}

/** Persisted grants. */
export interface GrantStore {
  /** Inserts or replaces the grant with the same key. */
  store(grant: Grant): Promise<void>;
  /** The grants matching the filter, oldest first. */
  findAll(filter: GrantFilter): Promise<Grant[]>;
  /** Removes the grants matching the filter; returns how many were removed. */
  removeAll(filter: GrantFilter): Promise<number>;
}
