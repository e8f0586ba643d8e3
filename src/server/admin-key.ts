import { unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { generateApiKey, sha256, type ApiKeyEntry } from "../service/auth/api-keys.js";
import { permissions } from "../service/auth/permissions.js";
import type { SecretStore } from "../store/secret-store.js";
import { parseDatabaseUrl } from "../store/typeorm/database-url.js";

const secretName = "admin-api-key-sha256";

/** The admin key of the embedded default; `key` is set only when it was generated just now. */
export interface AdminKey {
  entry: ApiKeyEntry;
  /** The key itself, to print once; never stored in the database. */
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

/**
 * Saves a just-generated admin key as `admin-api-key` next to an SQLite
 * database file, readable by its owner only, so that commands can read it
 * (`$(cat data/admin-api-key)`). The database file next to it holds
 * everything the key protects, and the secrets that sign page and logout
 * tokens, so whoever can read the folder gains nothing from the copy. A
 * MySQL or in-memory database has no folder here: nothing is saved. Returns
 * the file's path, or undefined when nothing was saved (the key is printed
 * anyway).
 */
export function saveAdminKey(databaseUrl: string, key: string): string | undefined {
  const parsed = parseDatabaseUrl(databaseUrl);
  if ("error" in parsed || parsed.location.kind !== "sqlite" || parsed.location.path === ":memory:") return undefined;
  const path = join(dirname(parsed.location.path), "admin-api-key");
  // A new file, mode 0600 from its creation: one left by an earlier database
  // is replaced, not reused with whatever permissions it had.
  try {
    unlinkSync(path);
  } catch {
    // Nothing there.
  }
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: "wx" });
    return path;
  } catch {
    return undefined;
  }
}
