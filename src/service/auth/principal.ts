import type { Permission } from "./permissions.js";

/** Who is calling, as established by a credential. Never holds the secret. */
export interface Principal {
  /** Stable id for logs and the audit trail: the API key id, the token's subject, the certificate subject or SPIFFE ID. */
  id: string;
  /** "forwarded-certificate": the client certificate a trusted sidecar verified and named in x-forwarded-client-cert. */
  kind: "api-key" | "jwt" | "client-certificate" | "forwarded-certificate";
  permissions: ReadonlySet<Permission>;
  /** The subject whose sessions are the caller's own (a JWT's `sub`); only JWTs name one. */
  subject?: string;
}
