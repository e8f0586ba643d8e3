/**
 * The session keys this process has read from SessionStore recently. The
 * provider reads a session at the start of a request and saves it at the
 * end; if an administrator, a logout elsewhere or the sweeper removed it in
 * between, the save must not bring it back. A key in this set is known to
 * have existed, so an update that finds it gone is a removal, never a cue to
 * create. The provider reads and saves within one request, so one process's
 * memory is enough; entries older than `ttlMs` (longer than any request) are
 * dropped, and at most `maxEntries` are kept.
 */
export interface LoadedSessions {
  add(key: string): void;
  has(key: string): boolean;
  delete(key: string): void;
}

/** An expiring set of session keys. */
export function createLoadedSessions(ttlMs = 10 * 60_000, maxEntries = 200_000): LoadedSessions {
  const seen = new Map<string, number>();
  return {
    add(key) {
      seen.delete(key);
      seen.set(key, Date.now() + ttlMs);
      for (const [oldest, expiresAt] of seen) {
        if (seen.size <= maxEntries && expiresAt > Date.now()) break;
        seen.delete(oldest);
      }
    },
    has(key) {
      const expiresAt = seen.get(key);
      return expiresAt !== undefined && expiresAt > Date.now();
    },
    delete(key) {
      seen.delete(key);
    },
  };
}
