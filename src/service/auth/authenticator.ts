import type { PeerCertificate } from "node:tls";
import type { SpiffeId } from "../../domain/spiffe-id.js";
import type { ApiKeyAuthenticator } from "./api-keys.js";
import type { CertificateAuthenticator } from "./client-certificates.js";
import { looksLikeJwt, type JwtAuthenticator } from "./jwt-tokens.js";
import type { Principal } from "./principal.js";

/**
 * What a call presents: a bearer value, a client certificate the TLS layer
 * verified, and the SPIFFE ID a trusted sidecar forwarded (see
 * trusted-proxies.ts).
 */
export interface Credentials {
  bearer?: string;
  certificate?: PeerCertificate;
  forwarded?: SpiffeId;
}

/** Establishes who is calling from whatever credential kinds are configured. */
export interface Authenticator {
  /** Whether any kind of credential is configured at all. */
  readonly configured: boolean;
  authenticate(credentials: Credentials): Promise<Principal | undefined>;
}

/**
 * A bearer value is checked as a JWT when it has the shape of one and JWTs
 * are configured, else as an API key. Without a bearer value, a verified
 * client certificate is used, else a sidecar's forwarded one. Any bearer value that fails is a failure, even
 * if a certificate would match: an explicit credential must be right.
 */
export function createAuthenticator(kinds: {
  apiKeys?: ApiKeyAuthenticator;
  jwt?: JwtAuthenticator;
  certificates?: CertificateAuthenticator;
}): Authenticator {
  return {
    configured: kinds.apiKeys !== undefined || kinds.jwt !== undefined || kinds.certificates !== undefined,
    async authenticate({ bearer, certificate, forwarded }) {
      if (bearer !== undefined) {
        if (kinds.jwt !== undefined && looksLikeJwt(bearer)) return kinds.jwt.authenticate(bearer);
        return kinds.apiKeys?.authenticate(bearer);
      }
      if (certificate !== undefined) return kinds.certificates?.authenticate(certificate);
      if (forwarded !== undefined) return kinds.certificates?.authenticateForwarded(forwarded);
      return undefined;
    },
  };
}

/** The token of an `authorization: Bearer <token>` header; undefined for anything else. */
export function bearerToken(header: string | null): string | undefined {
  const match = header === null ? null : /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
