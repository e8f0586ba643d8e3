import type { PagePosition } from "../domain/page-token.js";
import type { StoredSession } from "../domain/session.js";
import type { SessionFilter, SessionOrder } from "../domain/session-filter.js";
import { walkValueOf, type SessionWalk } from "../domain/session-walk.js";
import type { PageCursor } from "../store/page-cursor.js";
import type { SessionStore } from "../store/session-store.js";
import { readKeysetPage, type KeysetSource, type PageFit } from "./keyset-page.js";

/** One page of a walk over the sessions matching a filter. */
export interface SessionPage {
  sessions: StoredSession[];
  hasPrev: boolean;
  hasNext: boolean;
  /** 1-based position in the walk; 0 when nothing matches. */
  page: number;
  /** What the page's token carries; unset when nothing matches (see KeysetPage). */
  position?: PagePosition;
}

type SessionSource = Pick<SessionStore, "findPage" | "existsBeyond">;

/**
 * Reads a page of the sessions matching a filter (see readKeysetPage), in
 * recording order or, with `newest_first`, in reverse: the same keyset walk
 * over the same indexes, read backwards. With a time column as `walk`, the
 * walk is in that column's order, ties in recording order (see
 * sessionWalkOf), and the positions carry the column's value.
 */
export async function readSessionPage(
  store: SessionSource,
  filter: SessionFilter,
  size: number,
  position: PagePosition | undefined,
  prior: boolean,
  fit?: PageFit<StoredSession>,
  order: SessionOrder = "oldest_first",
  walk: SessionWalk = "id",
): Promise<SessionPage> {
  const source = order === "newest_first" ? reversed(store, filter, walk) : inOrder(store, filter, walk);
  const { rows, ...rest } = await readKeysetPage(source, size, position, prior, fit && ((rows, fromEnd) => fit(rows.map((r) => r.session), fromEnd)));
  return { sessions: rows.map((row) => row.session), ...rest };
}

interface WalkRow {
  pk: number;
  value?: number;
  session: StoredSession;
}

const valueOf = walkValueOf;

function inOrder(store: SessionSource, filter: SessionFilter, walk: SessionWalk): KeysetSource<WalkRow> {
  return {
    findPage: async (cursor, limit) =>
      (await store.findPage(filter, cursor, limit, walk)).map((session) => ({ pk: session.pk, value: valueOf(session, walk), session })),
    existsBeyond: (cursor) => store.existsBeyond(filter, cursor, walk),
  };
}

// The walk key of a newest-first walk: it grows as the store key shrinks, so
// the walk's positions (and the tokens that carry them) work unchanged.
const flip = (pk: number) => Number.MAX_SAFE_INTEGER - pk;
const negate = (value: number | undefined) => (value === undefined ? undefined : -value);

function reversed(store: SessionSource, filter: SessionFilter, walk: SessionWalk): KeysetSource<WalkRow> {
  const storeCursor = (cursor: PageCursor): PageCursor => {
    if (cursor.direction === "backward") {
      const value = negate(cursor.beforeValue);
      return value === undefined ? { direction: "forward", afterPk: flip(cursor.beforePk) } : { direction: "forward", afterPk: flip(cursor.beforePk), afterValue: value };
    }
    if (cursor.afterPk === undefined) return { direction: "backward", beforePk: Number.MAX_SAFE_INTEGER };
    const value = negate(cursor.afterValue);
    return value === undefined ? { direction: "backward", beforePk: flip(cursor.afterPk) } : { direction: "backward", beforePk: flip(cursor.afterPk), beforeValue: value };
  };
  return {
    findPage: async (cursor, limit) =>
      (await store.findPage(filter, storeCursor(cursor), limit, walk)).map((session) => ({
        pk: flip(session.pk),
        value: negate(valueOf(session, walk)),
        session,
      })),
    existsBeyond: (cursor) => store.existsBeyond(filter, storeCursor(cursor), walk),
  };
}
