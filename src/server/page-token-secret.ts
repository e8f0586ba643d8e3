import { randomBytes } from "node:crypto";
import type { SecretStore } from "../store/secret-store.js";

const secretName = "page-token-hmac";

/**
 * The secret that signs page tokens: the configured one, or one generated on
 * first start and kept in the database, so tokens stay valid across restarts
 * and across instances sharing the database.
 */
export async function resolvePageTokenSecret(configured: Buffer | undefined, secrets: SecretStore): Promise<Buffer> {
  return configured ?? secrets.getOrCreate(secretName, () => randomBytes(32));
}
