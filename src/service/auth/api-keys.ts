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
  return {
    authenticate(key) {
      const digest = sha256(key);
      let found: ApiKeyEntry | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(digest, entry.sha256) && found === undefined) found = entry;
      }
      return found && { id: found.id, kind: "api-key", permissions: new Set(found.permissions) };
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
