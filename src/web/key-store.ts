// The key lives only as long as the browser tab: never in localStorage or cookies.
const storageKey = "session-management.api-key";

/** The API key this tab signed in with, if any. */
export function loadKey(): string | undefined {
  return sessionStorage.getItem(storageKey) ?? undefined;
}

/** Remembers the key for this tab. */
export function saveKey(key: string): void {
  sessionStorage.setItem(storageKey, key);
}

/** Forgets the key (sign out). */
export function clearKey(): void {
  sessionStorage.removeItem(storageKey);
}
