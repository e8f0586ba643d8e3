import type { PagePosition } from "../domain/page-token.js";
import type { StoredSession } from "../domain/session.js";
import type { SessionFilter } from "../domain/session-filter.js";
import type { SessionStore } from "../store/session-store.js";
import { readKeysetPage, type PageFit } from "./keyset-page.js";

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

/** Reads a page of the sessions matching a filter (see readKeysetPage). */
export async function readSessionPage(
  store: Pick<SessionStore, "findPage" | "existsBeyond">,
  filter: SessionFilter,
  size: number,
  position: PagePosition | undefined,
  prior: boolean,
  fit?: PageFit<StoredSession>,
): Promise<SessionPage> {
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
