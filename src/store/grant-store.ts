import type { Grant, GrantFilter } from "../domain/grant.js";
import type { GrantType } from "../domain/grant-types.js";
import type { PageCursor } from "./page-cursor.js";

export type { Grant, GrantFilter } from "../domain/grant.js";

/** A stored grant with the store's insertion-ordered key, used for keyset paging. */
export interface ListedGrant extends Grant {
  pk: number;
}

/** The session a grant may be bound to: its subject and session id. */
export interface GrantBinding {
  subjectId: string;
  sessionId?: string;
}

/** A subject and some (or, undefined, all) of its clients. */
export interface SubjectClients {
  subjectId: string;
  clientIds?: readonly string[];
}

/** Persisted grants. */
export interface GrantStore {
  /** Inserts or replaces the grant with the same key. */
  store(grant: Grant): Promise<void>;
  get(key: string): Promise<Grant | undefined>;
  /** The grants matching the filter, oldest first. */
  findAll(filter: GrantFilter): Promise<Grant[]>;
  /** Up to `limit` grants matching the filter beyond the cursor, nearest to the cursor first. */
  findPage(filter: GrantFilter, cursor: PageCursor, limit: number): Promise<ListedGrant[]>;
  /** Whether any grant matching the filter lies beyond the cursor. */
  existsBeyond(filter: GrantFilter, cursor: PageCursor): Promise<boolean>;
  /** Removes the grant with this key; returns how many were removed (0 or 1). */
  remove(key: string): Promise<number>;
  /** Removes the grants matching the filter; returns how many were removed. */
  removeAll(filter: GrantFilter): Promise<number>;
  /**
   * Removes the grants of these types bound to these sessions (same subject
   * and session id), optionally only those of some clients. Sessions without
   * a session id have no bound grants. Returns how many were removed.
   */
  removeBoundTo(sessions: readonly GrantBinding[], types: readonly GrantType[], clientIds?: readonly string[]): Promise<number>;
  /**
   * How many grants removeBoundTo would remove with the same arguments, by
   * client id. Reads only.
   */
  countBoundTo(sessions: readonly GrantBinding[], types: readonly GrantType[], clientIds?: readonly string[]): Promise<Map<string, number>>;
  /**
   * How many grants of these types each subject holds for the given clients
   * (all its clients when `clientIds` is undefined), summed by client id.
   */
  countOfSubjects(subjects: readonly SubjectClients[], types: readonly GrantType[]): Promise<Map<string, number>>;
  /**
   * Removes the grants of these types each subject holds for the given
   * clients (all its clients when `clientIds` is undefined), a few statements
   * for any number of subjects; returns how many were removed.
   */
  removeOfSubjects(subjects: readonly SubjectClients[], types: readonly GrantType[]): Promise<number>;
  /**
   * Removes what removeBoundTo(sessions, tokens.types, tokens.clientIds)
   * followed by removeOfSubjects(consents.subjects, consents.types) would,
   * reading each subject's grants once (token grants bound to a session carry
   * its subject) and deleting them together: the grants of terminated
   * sessions. Returns how many of each were removed.
   */
  removeOfSessions(
    sessions: readonly GrantBinding[],
    tokens: { types: readonly GrantType[]; clientIds?: readonly string[] },
    consents: { subjects: readonly SubjectClients[]; types: readonly GrantType[] },
  ): Promise<{ tokens: number; consents: number }>;
  /**
   * Removes up to `limit` grants that expired or were consumed before
   * `before`, oldest first; returns how many were removed. Inside a
   * transaction, grants another transaction holds are skipped, so that
   * several sweepers can work at once.
   */
  removeStale(before: Date, limit: number): Promise<number>;
}
