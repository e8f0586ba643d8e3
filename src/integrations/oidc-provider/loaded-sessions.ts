/**
 * The session keys this process has read from SessionStore recently, with
 * each session's uid. The provider reads a session at the start of a request
 * and saves it at the end; if an administrator, a logout elsewhere or the
 * sweeper removed it in between, the save must not bring it back. A key in
 * this set is known to have existed, so an update that finds it gone is a
 * removal, never a cue to create. The provider reads and saves within one
 * request, so one process's memory is enough; entries older than `ttlMs`
 * (longer than any request) are dropped, and at most `maxEntries` are kept.
 */
export interface LoadedSessions {
  add(key: string, uid: string): void;
  has(key: string): boolean;
  /** The uid of a loaded session, or undefined. */
  uidOf(key: string): string | undefined;
  delete(key: string): void;
}

/** An expiring map of session keys to uids. */
export function createLoadedSessions(ttlMs = 10 * 60_000, maxEntries = 200_000): LoadedSessions {
  const seen = new Map<string, { uid: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = seen.get(key);
    return entry !== undefined && entry.expiresAt > Date.now() ? entry : undefined;
  };
  return {
    add(key, uid) {
      seen.delete(key);
      seen.set(key, { uid, expiresAt: Date.now() + ttlMs });
      for (const [oldest, entry] of seen) {
        if (seen.size <= maxEntries && entry.expiresAt > Date.now()) break;
        seen.delete(oldest);
      }
    },
    has: (key) => live(key) !== undefined,
    uidOf: (key) => live(key)?.uid,
    delete(key) {
      seen.delete(key);
    },
  };
}
