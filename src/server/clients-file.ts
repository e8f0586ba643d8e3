import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import type { LogoutUriPolicy } from "../domain/backchannel-logout-uri.js";
import type { Client } from "../domain/client.js";
import { parseClient, type ClientInput } from "../domain/client-input.js";
import { isDomainError } from "../domain/errors.js";
import type { Stores } from "../store/stores.js";

/** What applying a clients file changed. */
export interface ClientsFileOutcome {
  created: number;
  updated: number;
  unchanged: number;
}

// The fields of an entry, named as in client_registry.proto, and their types.
const fields = {
  client_id: "string",
  enabled: "boolean",
  backchannel_logout_uri: "string",
  backchannel_logout_session_required: "boolean",
  logout_token_type: "string",
} as const;

/**
 * Reads a clients file (`.yaml`, `.yml` or `.json`):
 *
 *     clients:
 *       - client_id: web-app
 *         backchannel_logout_uri: https://web.example.com/logout
 *         logout_token_type: JWT        # logout+jwt (default), JWT or none
 *
 * Every entry is validated as ClientRegistry.PutClient validates a client.
 * Unknown fields, duplicate client ids and anything else wrong fail with an
 * error that names the file, the entry and the field.
 */
export async function readClientsFile(path: string, policy: LogoutUriPolicy): Promise<Client[]> {
  const fail = (problem: string): never => {
    throw new Error(`clients file ${path}: ${problem}`);
  };
  const extension = extname(path).toLowerCase();
  if (![".yaml", ".yml", ".json"].includes(extension)) fail("must be a .yaml, .yml or .json file");
  let text = "";
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    fail(`cannot be read: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = extension === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    fail(`is not valid ${extension === ".json" ? "JSON" : "YAML"}: ${(error as Error).message.trim()}`);
  }
  if (!isRecord(document) || !Array.isArray(document.clients) || Object.keys(document).some((k) => k !== "clients")) {
    fail("must be a mapping with one key, `clients`, holding a list of clients");
  }
  const seen = new Set<string>();
  return ((document as { clients: unknown[] }).clients).map((entry, i) => {
    const name = isRecord(entry) && typeof entry.client_id === "string" ? `clients[${i}] (${entry.client_id})` : `clients[${i}]`;
    const client = parseEntry(entry, policy, (problem) => fail(`${name}: ${problem}`));
    if (seen.has(client.clientId)) fail(`${name}: client_id: appears more than once`);
    seen.add(client.clientId);
    return client;
  });
}

/**
 * Creates or replaces the file's clients in one transaction, leaving clients
 * that are not in the file alone. Clients that already match are not
 * written, so applying the same file again changes nothing.
 */
export async function applyClients(stores: Pick<Stores, "transaction">, clients: readonly Client[]): Promise<ClientsFileOutcome> {
  return stores.transaction(async (tx) => {
    const outcome = { created: 0, updated: 0, unchanged: 0 };
    for (const client of clients) {
      const existing = await tx.clients.get(client.clientId);
      if (existing !== undefined && sameSettings(existing, client)) {
        outcome.unchanged++;
        continue;
      }
      await tx.clients.put(client);
      outcome[existing === undefined ? "created" : "updated"]++;
    }
    return outcome;
  });
}

function parseEntry(entry: unknown, policy: LogoutUriPolicy, fail: (problem: string) => never): Client {
  if (!isRecord(entry)) fail("must be a mapping of client settings");
  const record = entry as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    const type = fields[key as keyof typeof fields];
    if (type === undefined) fail(`${key}: unknown field; expected ${Object.keys(fields).join(", ")}`);
    if (typeof value !== type) fail(`${key}: must be a ${type}`);
  }
  const input: ClientInput = {
    clientId: (record.client_id as string | undefined) ?? "",
    enabled: record.enabled as boolean | undefined,
    backchannelLogoutUri: (record.backchannel_logout_uri as string | undefined) ?? "",
    backchannelLogoutSessionRequired: record.backchannel_logout_session_required as boolean | undefined,
    logoutTokenType: record.logout_token_type as string | undefined,
  };
  try {
    return parseClient(input, policy);
  } catch (error) {
    if (isDomainError(error)) fail(error.message);
    throw error;
  }
}

function sameSettings(a: Client, b: Client): boolean {
  return (
    a.enabled === b.enabled &&
    a.backchannelLogoutUri === b.backchannelLogoutUri &&
    a.backchannelLogoutSessionRequired === b.backchannelLogoutSessionRequired &&
    a.logoutTokenType === b.logoutTokenType
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
