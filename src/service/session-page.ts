import type { PagePosition } from "../domain/page-token.js";
import type { StoredSession } from "../domain/session.js";
import type { SessionFilter } from "../domain/session-filter.js";
import type { SessionStore } from "../store/session-store.js";

/** One page of a walk over the sessions matching a filter. */
export interface SessionPage {
  sessions: StoredSession[];
  hasPrev: boolean;
  hasNext: boolean;
  /** 1-based position in the walk. */
  page: number;
}

/**
 * Reads the page after (or, with `prior`, before) the one `position`
 * describes, or the first page without a position. Each step is one keyset
 * query for `size + 1` rows plus one existence probe, so its cost does not
 * depend on how deep the walk is. Going back past the first session starts
 * over at the first page; walking off the end yields an empty page.
 */
export async function readSessionPage(
  store: Pick<SessionStore, "findPage" | "existsBeyond">,
  filter: SessionFilter,
  size: number,
  position: PagePosition | undefined,
  prior: boolean,
): Promise<SessionPage> {
  const firstPage = async (): Promise<SessionPage> => {
    const rows = await store.findPage(filter, { direction: "forward" }, size + 1);
    return { sessions: rows.slice(0, size), hasPrev: false, hasNext: rows.length > size, page: 1 };
  };
  if (position === undefined) return firstPage();

  if (prior) {
    const rows = await store.findPage(filter, { direction: "backward", beforePk: position.firstPk }, size + 1);
    if (rows.length <= size) return firstPage();
    const sessions = rows.slice(0, size).reverse();
    const hasNext = await store.existsBeyond(filter, { direction: "forward", afterPk: sessions.at(-1)!.pk });
    return { sessions, hasPrev: true, hasNext, page: Math.max(position.page - 1, 2) };
  }

  const rows = await store.findPage(filter, { direction: "forward", afterPk: position.lastPk }, size + 1);
  if (rows.length === 0) return { sessions: [], hasPrev: false, hasNext: false, page: 0 };
  const sessions = rows.slice(0, size);
  const hasPrev = await store.existsBeyond(filter, { direction: "backward", beforePk: sessions[0]!.pk });
  return { sessions, hasPrev, hasNext: rows.length > size, page: hasPrev ? position.page + 1 : 1 };
}
