import type { PagePosition } from "../domain/page-token.js";
import type { StoredSession } from "../domain/session.js";
import type { SessionFilter, SessionOrder } from "../domain/session-filter.js";
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
 * over the same indexes, read backwards.
 */
export async function readSessionPage(
  store: SessionSource,
  filter: SessionFilter,
  size: number,
  position: PagePosition | undefined,
  prior: boolean,
  fit?: PageFit<StoredSession>,
  order: SessionOrder = "oldest_first",
): Promise<SessionPage> {
  if (order === "newest_first") {
    const { rows, ...rest } = await readKeysetPage(reversed(store, filter), size, position, prior, fit && ((rows, fromEnd) => fit(rows.map((r) => r.session), fromEnd)));
    return { sessions: rows.map((row) => row.session), ...rest };
  }
  const { rows, ...rest } = await readKeysetPage(
    {
      findPage: (cursor, limit) => store.findPage(filter, cursor, limit),
      existsBeyond: (cursor) => store.existsBeyond(filter, cursor),
    },
    size,
    position,
    prior,
    fit,
  );
  return { sessions: rows, ...rest };
}

// The walk key of a newest-first walk: it grows as the store key shrinks, so
// the walk's positions (and the tokens that carry them) work unchanged.
const flip = (pk: number) => Number.MAX_SAFE_INTEGER - pk;

function reversed(store: SessionSource, filter: SessionFilter): KeysetSource<{ pk: number; session: StoredSession }> {
  const storeCursor = (cursor: PageCursor): PageCursor =>
    cursor.direction === "forward"
      ? { direction: "backward", beforePk: cursor.afterPk === undefined ? Number.MAX_SAFE_INTEGER : flip(cursor.afterPk) }
      : { direction: "forward", afterPk: flip(cursor.beforePk) };
  return {
    findPage: async (cursor, limit) => (await store.findPage(filter, storeCursor(cursor), limit)).map((session) => ({ pk: flip(session.pk), session })),
    existsBeyond: (cursor) => store.existsBeyond(filter, storeCursor(cursor)),
  };
}
