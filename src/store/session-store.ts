import type { NewSession, StoredSession } from "../domain/session.js";
import type { SessionFilter } from "../domain/session-filter.js";
import type { TerminatedSession } from "../domain/termination-plan.js";

import type { PageCursor } from "./page-cursor.js";

export type { PageCursor } from "./page-cursor.js";

/** Selects sessions to terminate; at least one field is set. */
export interface TerminationSelector {
  subjectId?: string;
  sessionId?: string;
}

/** Server-side session records and the clients each signed in to. */
export interface SessionStore {
  /**
   * Up to `limit` sessions matching the filter beyond the cursor, nearest to
   * the cursor first. Cost depends on `limit`, not on the cursor's depth.
   */
  findPage(filter: SessionFilter, cursor: PageCursor, limit: number): Promise<StoredSession[]>;
  /** Whether any session matching the filter lies beyond the cursor. */
  existsBeyond(filter: SessionFilter, cursor: PageCursor): Promise<boolean>;
  /** The number of matching sessions, or `upTo` if there are at least that many. */
  count(filter: SessionFilter, upTo?: number): Promise<number>;
  /** The sessions a termination applies to; inside a transaction they stay locked until it ends. */
  findForTermination(selector: TerminationSelector): Promise<TerminatedSession[]>;
  /** Deletes sessions and their client links; returns how many sessions were deleted. */
  deleteByPks(pks: readonly number[]): Promise<number>;
  /** Records a session; the key must be new. Returns its pk. */
  create(session: NewSession): Promise<number>;
}
