import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Permission } from "./permissions.js";
import type { Principal } from "./principal.js";

/** A configured API key: only the SHA-256 of the key is ever stored. */
export interface ApiKeyEntry {
  id: string;
  sha256: Buffer;
  permissions: readonly Permission[];
}

/** Checks bearer keys against the configured entries. */
export interface ApiKeyAuthenticator {
  authenticate(key: string): Principal | undefined;
}

/**
 * Every entry is compared, in constant time, whatever matched, so timing does
 * not tell how many keys exist or which one nearly matched. Keys are random
 * (see generateApiKey), so a plain SHA-256 is as strong as a slow hash here.
 */
export function createApiKeyAuthenticator(entries: readonly ApiKeyEntry[]): ApiKeyAuthenticator {
  // Made once per key, not per call: principals are only read.
  const principals = entries.map((entry): Principal => ({ id: entry.id, kind: "api-key", permissions: new Set(entry.permissions) }));
  return {
    authenticate(key) {
      const digest = sha256(key);
      let found: Principal | undefined;
      for (let i = 0; i < entries.length; i++) {
        if (timingSafeEqual(digest, entries[i]!.sha256) && found === undefined) found = principals[i];
      }
      return found;
    },
  };
}

/** A new random API key: `smk_` and 43 base64url characters (256 bits). */
export function generateApiKey(): string {
  return `smk_${randomBytes(32).toString("base64url")}`;
}

/** The SHA-256 digest stored for a key. */
export function sha256(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}
