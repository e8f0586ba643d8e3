import type { Logger } from "pino";
import { resolveSigningKeys } from "../notifier/signing-keys.js";
import { applyClients, readClientsFile } from "./clients-file.js";
import { listOption, type Config } from "./config.js";
import { loadCredentials } from "./credentials.js";
import { openStores } from "./open-stores.js";
import { resolvePageTokenSecret } from "./page-token-secret.js";

/**
 * Prepares once, before several workers start, what they would otherwise
 * race to create in the shared database: the schema (migrations), the
 * generated admin key, page-token secret and signing key, and the clients
 * file. Returns the admin key generated now, to be shown once. The workers
 * then start with `workerConfig`, and only read these.
 */
export async function prepareShared(config: Config, logger: Logger): Promise<{ generatedAdminKey?: string }> {
  const stores = await openStores(config, logger);
  try {
    const credentials = await loadCredentials(config, stores.secrets);
    await resolvePageTokenSecret(config.pageTokenSecret, stores.secrets);
    await resolveSigningKeys({ files: listOption(config.signingKeyFiles), activeKid: config.signingKeyId, alg: config.logoutTokenAlg }, stores.secrets);
    if (config.clientsFile !== undefined) {
      const clients = await readClientsFile(config.clientsFile, { allowHttp: config.allowHttpLogoutUris });
      logger.info({ file: config.clientsFile, ...(await applyClients(stores, clients)) }, "clients file applied");
    }
    return { generatedAdminKey: credentials.generatedAdminKey };
  } finally {
    await stores.close();
  }
}

/** A worker's configuration once `prepareShared` ran: the schema must be current, and the clients file was applied. */
export function workerConfig(config: Config): Config {
  return { ...config, migrate: false, clientsFile: undefined, workers: 1 };
}
