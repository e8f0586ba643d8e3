import { createContextKey, type Interceptor } from "@connectrpc/connect";
import type { PeerCertificate } from "node:tls";
import { DomainError } from "../../domain/errors.js";
import { bearerToken, type Authenticator } from "./authenticator.js";
import { requirementOf, selfServiceMethods, selfServicePermission } from "./permissions.js";
import type { Principal } from "./principal.js";
import { restrictToSubject } from "./self-scope.js";
import { forwardedIdentityKey } from "./trusted-proxies.js";

/** The verified client certificate of the call's connection, set by the server from the TLS socket. */
export const peerCertificateKey = createContextKey<PeerCertificate | undefined>(undefined);

/** Who is calling, for handlers, logs and the audit trail; set once the credential is verified. */
export const principalKey = createContextKey<Principal | undefined>(undefined);

/**
 * Admits a call only with a credential that has the permission its method
 * requires (see permissions.ts), or with `sessions.self` for a self-service
 * method, whose request is then restricted to the caller's own sessions
 * (self-scope.ts). Failures say nothing about which part of a credential was
 * wrong.
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
      const method = `${request.service.typeName}/${request.method.name}`;
      if (!selfServiceMethods.has(method)) throw refusal(principal, requirement);
      if (request.stream || principal.subject === undefined || !principal.permissions.has(selfServicePermission)) {
        throw refusal(principal, `${requirement} or ${selfServicePermission}`);
      }
      restrictToSubject(method, request.method.input, request.message, principal.subject);
    }
    return next(request);
  };
}

function refusal(principal: Principal, needed: string | undefined): DomainError {
  return new DomainError("permission_denied", `the credential "${principal.id}" lacks the permission this call needs${needed ? ` (${needed})` : ""}`);
}
