import type { PeerCertificate } from "node:tls";
import type { Permission } from "./permissions.js";
import type { Principal } from "./principal.js";

/**
 * Which certificate subjects get which permissions. A rule's subject lists
 * attributes that must all match, e.g. "CN=ops-console,O=Example".
 */
export interface CertificateRule {
  subject: string;
  permissions: readonly Permission[];
}

/** Maps verified client certificates to principals. */
export interface CertificateAuthenticator {
  /** The principal for a certificate the TLS layer already verified against the CA; undefined if no rule matches. */
  authenticate(certificate: PeerCertificate): Principal | undefined;
}

/** The first rule whose attributes all match the certificate's subject wins. */
export function createCertificateAuthenticator(rules: readonly CertificateRule[]): CertificateAuthenticator {
  const parsed = rules.map((rule) => ({ rule, attributes: parseSubject(rule.subject) }));
  return {
    authenticate(certificate) {
      const subject = certificate.subject as unknown as Record<string, string | string[]> | undefined;
      if (subject === undefined) return undefined;
      const match = parsed.find(({ attributes }) =>
        attributes.every(([name, value]) => [subject[name]].flat().includes(value)),
      );
      if (match === undefined) return undefined;
      return { id: `cert:${match.rule.subject}`, kind: "client-certificate", permissions: new Set(match.rule.permissions) };
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
