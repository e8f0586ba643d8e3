import { sessionFilterKey, type SessionFilter } from "../domain/session-filter.js";
import { detachedFromCall } from "../store/call-deadline.js";
import type { SessionStore } from "../store/session-store.js";

/** A session count, and whether it is an estimate. */
export interface SessionCount {
  count: number;
  estimate: boolean;
}

/** Counts the sessions matching a filter for QuerySessions totals. */
export interface SessionCounter {
  count(filter: SessionFilter): Promise<SessionCount>;
}

/** How exact counts must be and how fresh estimates stay. */
export interface SessionCounterOptions {
  /** Up to this many matches, the count is exact on every request. */
  exactLimit: number;
  /** A broad filter's cached count is recomputed in the background once older than this. */
  refreshMs: number;
  /** Broad filters whose counts are cached, least recently used dropped first. */
  maxCachedFilters: number;
  /** Receives failures of background recounts. */
  onRefreshError?: (error: unknown) => void;
}

interface CachedCount {
  value?: number;
  at: number;
  /** How long the last full count took, in ms. */
  tookMs: number;
  pending?: Promise<number>;
}

// A broad filter is recounted no more often than every this many times its
// last count took, so that recounting costs at most a quarter of one
// connection's time, however large the table grows.
const recountCostFactor = 4;

/**
 * Counting is exact whenever it is cheap: a bounded count stops after
 * `exactLimit + 1` index entries. Beyond that, an exact COUNT(*) costs a full
 * index scan (about 0.24 s at a million sessions, 2–3 s at ten million), so
 * broad filters get a count computed in the background at most once per
 * `refreshMs` (or per four times what the last count took, if longer) per
 * instance, and served as an estimate meanwhile (stale-while-revalidate),
 * without counting anything on the request's path. The first request for a
 * broad filter waits for the exact count. A recount that finds the filter no
 * longer broad drops it from the cache, so the next request counts exactly.
 */
export function createSessionCounter(
  sessions: Pick<SessionStore, "count">,
  options: SessionCounterOptions,
  now: () => number = Date.now,
): SessionCounter {
  const cache = new Map<string, CachedCount>();

  const recount = (key: string, filter: SessionFilter, entry: CachedCount): Promise<number> => {
    const started = now();
    // Shared by every call that waits for it: bound by none of them.
    const pending = detachedFromCall(() => sessions.count(filter)).then(
      (value) => {
        entry.value = value;
        entry.at = now();
        entry.tookMs = entry.at - started;
        entry.pending = undefined;
        if (value <= options.exactLimit && cache.get(key) === entry) cache.delete(key);
        return value;
      },
      (error: unknown) => {
        entry.pending = undefined;
        if (entry.value === undefined) cache.delete(key);
        throw error;
      },
    );
    entry.pending = pending;
    return pending;
  };

  const entryFor = (key: string): CachedCount => {
    let entry = cache.get(key);
    if (entry !== undefined) {
      cache.delete(key); // re-insert: most recently used last
    } else {
      entry = { at: 0, tookMs: 0 };
    }
    cache.set(key, entry);
    while (cache.size > options.maxCachedFilters) cache.delete(cache.keys().next().value!);
    return entry;
  };

  return {
    async count(filter: SessionFilter): Promise<SessionCount> {
      const key = sessionFilterKey(filter);
      const cached = cache.get(key);
      if (cached?.value !== undefined) {
        const entry = entryFor(key);
        const stale = now() - entry.at >= Math.max(options.refreshMs, recountCostFactor * entry.tookMs);
        if (stale && entry.pending === undefined) {
          recount(key, filter, entry).catch((error: unknown) => options.onRefreshError?.(error));
        }
        return { count: entry.value!, estimate: true };
      }
      if (cached?.pending === undefined) {
        const bounded = await sessions.count(filter, options.exactLimit + 1);
        if (bounded <= options.exactLimit) return { count: bounded, estimate: false };
      }
      const entry = entryFor(key);
      return { count: await (entry.pending ?? recount(key, filter, entry)), estimate: false };
    },
  };
}
