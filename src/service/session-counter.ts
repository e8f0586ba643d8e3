import { sessionFilterKey, type SessionFilter } from "../domain/session-filter.js";
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
  pending?: Promise<number>;
}

/**
 * Counting is exact whenever it is cheap: a bounded count stops after
 * `exactLimit + 1` index entries. Beyond that, an exact COUNT(*) costs a full
 * index scan (about 0.24 s at a million sessions), so broad filters get a
 * count computed at most once per `refreshMs` per instance and served as an
 * estimate meanwhile (stale-while-revalidate). The first request for a broad
 * filter waits for the exact count.
 */
export function createSessionCounter(
  sessions: Pick<SessionStore, "count">,
  options: SessionCounterOptions,
  now: () => number = Date.now,
): SessionCounter {
  const cache = new Map<string, CachedCount>();

  const recount = (key: string, filter: SessionFilter, entry: CachedCount): Promise<number> => {
    const pending = sessions.count(filter).then(
      (value) => {
        entry.value = value;
        entry.at = now();
        entry.pending = undefined;
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
      entry = { at: 0 };
    }
    cache.set(key, entry);
    while (cache.size > options.maxCachedFilters) cache.delete(cache.keys().next().value!);
    return entry;
  };

  return {
    async count(filter: SessionFilter): Promise<SessionCount> {
      const key = sessionFilterKey(filter);
      const cached = cache.get(key);
      const fresh = cached?.value !== undefined && now() - cached.at < options.refreshMs;
      if (!fresh) {
        const bounded = await sessions.count(filter, options.exactLimit + 1);
        if (bounded <= options.exactLimit) {
          cache.delete(key);
          return { count: bounded, estimate: false };
        }
      }
      const entry = entryFor(key);
      if (entry.value === undefined) {
        return { count: await (entry.pending ?? recount(key, filter, entry)), estimate: false };
      }
      if (!fresh && entry.pending === undefined) {
        recount(key, filter, entry).catch((error: unknown) => options.onRefreshError?.(error));
      }
      return { count: entry.value, estimate: true };
    },
  };
}
