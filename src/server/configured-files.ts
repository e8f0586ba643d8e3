import { readFileSync } from "node:fs";
import { readKeyFile } from "../notifier/key-file.js";
import { readApiKeyFile } from "../service/auth/api-key-file.js";
import { readClientsFile } from "./clients-file.js";
import { listOption, type Config } from "./config.js";
import { readCertificateRules } from "./credentials.js";
import type { TlsSettings } from "./listener.js";

/**
 * Reads and checks every file the configuration names (API keys, client
 * certificate rules, clients, TLS certificate, key and CA bundle, signing
 * keys), so that a missing or malformed one stops the start before the
 * database is opened or migrated. Errors name the option and the file.
 */
export async function checkConfiguredFiles(config: Config): Promise<void> {
  const check = async (option: string, read: () => unknown) => {
    try {
      await read();
    } catch (error) {
      throw new Error(`${option}: ${(error as Error).message}`);
    }
  };
  if (config.apiKeysFile !== undefined) await check("--api-keys-file (API_KEYS_FILE)", () => readApiKeyFile(config.apiKeysFile!));
  if (config.clientCertificatesFile !== undefined) {
    await check("--client-certificates-file (CLIENT_CERTIFICATES_FILE)", () => readCertificateRules(config.clientCertificatesFile!));
  }
  if (config.clientsFile !== undefined) {
    await check("--clients (CLIENTS_FILE)", () => readClientsFile(config.clientsFile!, { allowHttp: config.allowHttpLogoutUris }));
  }
  await check("TLS", () => readTls(config));
  for (const file of listOption(config.signingKeyFiles)) await check("--signing-key-files (SIGNING_KEY_FILES)", () => readKeyFile(file));
}

/** The TLS files' contents, when TLS is configured. */
export function readTls(config: Pick<Config, "tlsCertFile" | "tlsKeyFile" | "tlsClientCaFile">): TlsSettings | undefined {
  if (config.tlsCertFile === undefined || config.tlsKeyFile === undefined) return undefined;
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read the ${what} ${path}: ${(error as Error).message}`);
    }
  };
  return {
    cert: read(config.tlsCertFile, "TLS certificate"),
    key: read(config.tlsKeyFile, "TLS key"),
    clientCa: config.tlsClientCaFile === undefined ? undefined : read(config.tlsClientCaFile, "client CA bundle"),
  };
}
