import type { NewSession, SessionChanges, SessionRecord, StoredSession } from "../domain/session.js";
import type { SessionFilter } from "../domain/session-filter.js";
import type { SessionWalk } from "../domain/session-walk.js";
import type { TerminatedSession } from "../domain/termination-plan.js";

import type { PageCursor } from "./page-cursor.js";

export type { PageCursor } from "./page-cursor.js";

/** Selects sessions to terminate; at least one field is set. */
export interface TerminationSelector {
  subjectId?: string;
  sessionId?: string;
  /** The identity provider's key of one session. */
  key?: string;
}

/** Server-side session records and the clients each signed in to. */
export interface SessionStore {
  /**
   * Up to `limit` sessions matching the filter beyond the cursor, nearest to
   * the cursor first, in pk order or with a time column as `walk` in
   * (column, pk) order, the cursor then carrying the column's value. Cost
   * depends on `limit`, not on the cursor's depth.
   */
  findPage(filter: SessionFilter, cursor: PageCursor, limit: number, walk?: SessionWalk): Promise<StoredSession[]>;
  /** Whether any session matching the filter lies beyond the cursor (of a walk as findPage's). */
  existsBeyond(filter: SessionFilter, cursor: PageCursor, walk?: SessionWalk): Promise<boolean>;
  /** The number of matching sessions, or `upTo` if there are at least that many. */
  count(filter: SessionFilter, upTo?: number): Promise<number>;
  /** The sessions a termination applies to; inside a transaction they stay locked until it ends. */
  findForTermination(selector: TerminationSelector): Promise<TerminatedSession[]>;
  /**
   * The next `limit` sessions matching the filter after the session pk
   * `afterPk` and not after `lastPk` (when given), in pk order, with their
   * clients: one batch of a termination job's walk. Inside a transaction they
   * stay locked until it ends.
   */
  findBatchForTermination(filter: SessionFilter, afterPk: number, lastPk: number | undefined, limit: number): Promise<TerminatedSession[]>;
  /** The pk of the newest session recorded; 0 when there is none. */
  newestPk(): Promise<number>;
  /** Deletes sessions and their client links; returns how many sessions were deleted. */
  deleteByPks(pks: readonly number[]): Promise<number>;
  /** Records a session; returns its pk. A key that exists fails with already_exists. */
  create(session: NewSession): Promise<number>;
  /** The session with this key, ticket included. */
  findByKey(key: string): Promise<SessionRecord | undefined>;
  /** The tickets of these sessions, by pk; sessions that are gone are missing. */
  ticketsOf(pks: readonly number[]): Promise<Map<number, Uint8Array>>;
  /** The sizes in bytes of these sessions' tickets, by pk, without reading them; sessions that are gone are missing. */
  ticketSizesOf(pks: readonly number[]): Promise<Map<number, number>>;
  /** Applies changes to the session with this key; returns false when there is none. */
  update(key: string, changes: SessionChanges): Promise<boolean>;
  /**
   * Up to `limit` sessions that expired before `now`, earliest expiry first.
   * Inside a transaction they stay locked until it ends, and sessions another
   * transaction holds are skipped, so that several sweepers never take the
   * same session.
   */
  claimExpired(now: Date, limit: number): Promise<TerminatedSession[]>;
}
