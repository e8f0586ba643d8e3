import { generateApiKey, sha256, type ApiKeyEntry } from "../service/auth/api-keys.js";
import { permissions } from "../service/auth/permissions.js";
import type { SecretStore } from "../store/secret-store.js";

const secretName = "admin-api-key-sha256";

/** The admin key of the embedded default; `key` is set only when it was generated just now. */
export interface AdminKey {
  entry: ApiKeyEntry;
  /** The key itself, to print once; never stored. */
  generatedKey?: string;
}

/**
 * The admin API key used when no credentials are configured: generated on
 * first start with every permission, only its SHA-256 kept in the database
 * (shared by every instance on it).
 */
export async function adminKey(secrets: SecretStore): Promise<AdminKey> {
  const candidate = generateApiKey();
  const digest = sha256(candidate);
  const stored = await secrets.getOrCreate(secretName, () => digest);
  return {
    entry: { id: "admin", sha256: stored, permissions },
    generatedKey: stored.equals(digest) ? candidate : undefined,
  };
}
