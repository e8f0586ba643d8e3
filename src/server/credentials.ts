import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { parseSpiffePattern } from "../domain/spiffe-id.js";
import { readApiKeyFile } from "../service/auth/api-key-file.js";
import { createApiKeyAuthenticator, type ApiKeyEntry } from "../service/auth/api-keys.js";
import { createAuthenticator, type Authenticator } from "../service/auth/authenticator.js";
import { createCertificateAuthenticator, type CertificateRule } from "../service/auth/client-certificates.js";
import { createJwtAuthenticator } from "../service/auth/jwt-tokens.js";
import { isPermission, subjectlessRefusal } from "../service/auth/permissions.js";
import type { SecretStore } from "../store/secret-store.js";
import { adminKey } from "./admin-key.js";
import type { Config } from "./config.js";

/** The credential settings of the configuration. */
export type CredentialOptions = Pick<
  Config,
  "host" | "apiKeysFile" | "jwtIssuer" | "jwtAudience" | "jwtJwksUrl" | "jwtAlgorithms" | "jwtClockSkewSeconds" | "clientCertificatesFile"
>;

/** The authenticator, and the admin key to print if one was generated just now. */
export interface Credentials {
  authenticator: Authenticator;
  generatedAdminKey?: string;
}

/**
 * Builds the authenticator from every configured kind of credential. With
 * none configured, a loopback server uses the generated admin key (created on
 * first start); a server reachable from elsewhere refuses to start.
 */
export async function loadCredentials(options: CredentialOptions, secrets: SecretStore): Promise<Credentials> {
  const apiKeys: ApiKeyEntry[] = options.apiKeysFile === undefined ? [] : readApiKeyFile(options.apiKeysFile);
  const jwt =
    options.jwtIssuer === undefined
      ? undefined
      : createJwtAuthenticator({
          issuer: options.jwtIssuer,
          audience: options.jwtAudience!,
          jwksUrl: new URL(options.jwtJwksUrl!),
          algorithms: options.jwtAlgorithms.split(",").map((a) => a.trim()),
          clockToleranceSeconds: options.jwtClockSkewSeconds,
        });
  const certificates =
    options.clientCertificatesFile === undefined
      ? undefined
      : createCertificateAuthenticator(readCertificateRules(options.clientCertificatesFile));

  let generatedAdminKey: string | undefined;
  if (options.apiKeysFile === undefined && jwt === undefined && certificates === undefined) {
    if (!isLoopback(options.host)) {
      throw new Error(
        `refusing to listen on ${options.host} without credentials: configure --api-keys-file, --jwt-issuer or ` +
          "--client-certificates-file, or listen on a loopback address to use the generated admin key",
      );
    }
    const admin = await adminKey(secrets);
    apiKeys.push(admin.entry);
    generatedAdminKey = admin.generatedKey;
  }
  return {
    authenticator: createAuthenticator({
      apiKeys: apiKeys.length > 0 ? createApiKeyAuthenticator(apiKeys) : undefined,
      jwt,
      certificates,
    }),
    generatedAdminKey,
  };
}

/** Whether the address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Reads client-certificate rules (YAML or JSON); errors name the file and
 * the rule. Each rule has a subject or a SPIFFE ID (exact or a pattern); a
 * rule names no subject of sessions, so it cannot hold `sessions.self`:
 *
 *     rules:
 *       - subject: CN=ops-console,O=Example
 *         permissions: [sessions.read]
 *       - spiffe: spiffe://example.org/ns/ops/sa/*
 *         permissions: [sessions.read, sessions.write]
 */
export function readCertificateRules(path: string): CertificateRule[] {
  const document = parse(readFileSync(path, "utf8")) as { rules?: unknown } | null;
  if (!Array.isArray(document?.rules)) throw new Error(`${path}: expected a "rules" list`);
  return document.rules.map((raw: unknown, i): CertificateRule => {
    const rule = raw as { subject?: unknown; spiffe?: unknown; permissions?: unknown } | null;
    if (!Array.isArray(rule?.permissions) || !rule.permissions.every((p) => typeof p === "string" && isPermission(p))) {
      throw new Error(`${path}: rules[${i}].permissions: expected a list of known permissions`);
    }
    rule.permissions.forEach((p, j) => {
      const refusal = subjectlessRefusal(p);
      if (refusal !== undefined) throw new Error(`${path}: rules[${i}].permissions[${j}]: a client certificate rule cannot hold ${refusal}`);
    });
    if ((rule.subject === undefined) === (rule.spiffe === undefined)) throw new Error(`${path}: rules[${i}]: expected either subject or spiffe`);
    if (rule.spiffe !== undefined) {
      const pattern = typeof rule.spiffe === "string" ? parseSpiffePattern(rule.spiffe) : { error: "expected a string" };
      if ("error" in pattern) throw new Error(`${path}: rules[${i}].spiffe: ${pattern.error}`);
      return { spiffe: pattern.text, permissions: rule.permissions };
    }
    if (typeof rule.subject !== "string" || !rule.subject.includes("=")) throw new Error(`${path}: rules[${i}].subject: expected e.g. CN=name`);
    return { subject: rule.subject, permissions: rule.permissions };
  });
}
