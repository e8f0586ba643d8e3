import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ApiKeyEntry } from "./api-keys.js";
import { isPermission, subjectlessRefusal, type Permission } from "./permissions.js";

/**
 * Reads a file of hashed API keys (YAML or JSON):
 *
 *     keys:
 *       - id: helpdesk
 *         sha256: <64 hex digits: the SHA-256 of the key>
 *         permissions: [sessions.read, sessions.write]
 *
 * Errors name the entry and the field. A key names no subject, so it cannot
 * hold `sessions.self` (see permissions.ts).
 */
export function readApiKeyFile(path: string): ApiKeyEntry[] {
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error(`${path}: expected a "keys" list`);
  const ids = new Set<string>();
  return keys.map((raw: unknown, i) => {
    const where = `${path}: keys[${i}]`;
    const entry = raw as { id?: unknown; sha256?: unknown; permissions?: unknown } | null;
    if (typeof entry?.id !== "string" || entry.id.trim() === "") throw new Error(`${where}.id: required`);
    if (ids.has(entry.id)) throw new Error(`${where}.id: "${entry.id}" is listed twice`);
    ids.add(entry.id);
    if (typeof entry.sha256 !== "string" || !/^[0-9a-f]{64}$/i.test(entry.sha256)) {
      throw new Error(`${where}.sha256: expected 64 hex digits (the SHA-256 of the key, never the key)`);
    }
    if (!Array.isArray(entry.permissions)) throw new Error(`${where}.permissions: expected a list`);
    const permissions = entry.permissions.map((p: unknown, j) => {
      if (typeof p !== "string" || !isPermission(p)) throw new Error(`${where}.permissions[${j}]: unknown permission ${JSON.stringify(p)}`);
      const refusal = subjectlessRefusal(p);
      if (refusal !== undefined) throw new Error(`${where}.permissions[${j}]: an API key cannot hold ${refusal}`);
      return p as Permission;
    });
    return { id: entry.id, sha256: Buffer.from(entry.sha256, "hex"), permissions };
  });
}
