import { createContextKey, type Interceptor } from "@connectrpc/connect";
import type { PeerCertificate } from "node:tls";
import { DomainError } from "../../domain/errors.js";
import { bearerToken, type Authenticator } from "./authenticator.js";
import { requirementOf } from "./permissions.js";
import type { Principal } from "./principal.js";
import { forwardedIdentityKey } from "./trusted-proxies.js";

/** The verified client certificate of the call's connection, set by the server from the TLS socket. */
export const peerCertificateKey = createContextKey<PeerCertificate | undefined>(undefined);

/** Who is calling, for handlers, logs and the audit trail; set once the credential is verified. */
export const principalKey = createContextKey<Principal | undefined>(undefined);

/**
 * Admits a call only with a credential that has the permission its method
 * requires (see permissions.ts). Failures say nothing about which part of a
 * credential was wrong.
 */
export function authInterceptor(authenticator: Authenticator): Interceptor {
  return (next) => async (request) => {
    const requirement = requirementOf(request.service.typeName, request.method.name);
    if (requirement === "public") return next(request);
    const principal = await authenticator.authenticate({
      bearer: bearerToken(request.header.get("authorization")),
      certificate: request.contextValues.get(peerCertificateKey),
      forwarded: request.contextValues.get(forwardedIdentityKey),
    });
    if (principal === undefined) throw new DomainError("unauthenticated", "missing or invalid credentials");
    // Known from here on, also when refused: the audit trail records who tried.
    request.contextValues.set(principalKey, principal);
    if (requirement === undefined || (requirement !== "authenticated" && !principal.permissions.has(requirement))) {
      throw new DomainError("permission_denied", `the credential "${principal.id}" lacks the permission this call needs${requirement ? ` (${requirement})` : ""}`);
    }
    return next(request);
  };
}
