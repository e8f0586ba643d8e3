import type { PeerCertificate } from "node:tls";
import { parseSpiffePattern, type SpiffeId, type SpiffePattern } from "../../domain/spiffe-id.js";
import { spiffeIdOfCertificate } from "../../domain/workload-identity.js";
import type { Permission } from "./permissions.js";
import type { Principal } from "./principal.js";

/**
 * Which certificates get which permissions: by subject, whose listed
 * attributes must all match ("CN=ops-console,O=Example"), or by SPIFFE ID,
 * the certificate's URI name, exactly or by pattern (see spiffe-id.ts:
 * "spiffe://example.org/ns/ops/sa/*"). A rule has one or the other.
 */
export type CertificateRule =
  | { subject: string; spiffe?: undefined; permissions: readonly Permission[] }
  | { spiffe: string; subject?: undefined; permissions: readonly Permission[] };

/** Maps verified client certificates, and SPIFFE IDs a trusted sidecar forwards, to principals. */
export interface CertificateAuthenticator {
  /**
   * The principal for a certificate the TLS layer already verified against
   * the CA; undefined if no rule matches. Its id is the SPIFFE ID when a
   * SPIFFE rule matched, else `cert:` and the rule's subject.
   */
  authenticate(certificate: PeerCertificate): Principal | undefined;
  /** The principal for a SPIFFE ID vouched for by a trusted sidecar; undefined if no SPIFFE rule matches. */
  authenticateForwarded(id: SpiffeId): Principal | undefined;
}

type ParsedRule = { rule: CertificateRule; attributes?: [string, string][]; pattern?: SpiffePattern };

/**
 * The first rule (in the order given) that matches wins. SPIFFE rules match
 * only a certificate with exactly one URI name that is a valid SPIFFE ID
 * (workload-identity.ts); a certificate with none, several or a malformed one
 * can only match subject rules. Malformed rules are refused here.
 */
export function createCertificateAuthenticator(rules: readonly CertificateRule[]): CertificateAuthenticator {
  const parsed: ParsedRule[] = rules.map((rule) => {
    if (rule.spiffe === undefined) return { rule, attributes: parseSubject(rule.subject) };
    const pattern = parseSpiffePattern(rule.spiffe);
    if ("error" in pattern) throw new Error(pattern.error);
    return { rule, pattern };
  });
  const principal = (match: ParsedRule | undefined, id: string, kind: Principal["kind"]): Principal | undefined =>
    match && { id, kind, permissions: new Set(match.rule.permissions) };
  return {
    authenticate(certificate) {
      const subject = certificate.subject as unknown as Record<string, string | string[]> | undefined;
      const found = spiffeIdOfCertificate(certificate.subjectaltname);
      const spiffe = found === undefined || "error" in found ? undefined : found;
      const match = parsed.find(({ attributes, pattern }) =>
        pattern !== undefined
          ? spiffe !== undefined && pattern.matches(spiffe)
          : subject !== undefined && attributes!.every(([name, value]) => [subject[name]].flat().includes(value)),
      );
      return principal(match, match?.pattern !== undefined ? spiffe!.id : `cert:${match?.rule.subject}`, "client-certificate");
    },
    authenticateForwarded(id) {
      return principal(
        parsed.find(({ pattern }) => pattern?.matches(id)),
        id.id,
        "forwarded-certificate",
      );
    },
  };
}

function parseSubject(subject: string): [string, string][] {
  return subject.split(",").map((part) => {
    const at = part.indexOf("=");
    if (at <= 0) throw new Error(`certificate subject "${subject}": expected NAME=value pairs separated by commas`);
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
  });
}
