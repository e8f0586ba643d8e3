import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { isPermission, type Permission } from "./permissions.js";
import type { Principal } from "./principal.js";

/** Which access tokens to accept. */
export interface JwtOptions {
  issuer: string;
  audience: string;
  /** Where the issuer publishes its signing keys. */
  jwksUrl: URL;
  algorithms: readonly string[];
  clockToleranceSeconds: number;
}

/** Verifies JWT access tokens. */
export interface JwtAuthenticator {
  /** The principal for a valid token; undefined for any invalid one (the reason is not told). */
  authenticate(token: string): Promise<Principal | undefined>;
}

/**
 * Verifies signature, issuer, audience, algorithm and lifetime with jose;
 * keys are fetched from the JWKS URL and cached (refetched when a token names
 * an unknown key id). Permissions come from the `scope` claim (space
 * separated) or `scp` (a list); unknown scopes are ignored. The `sub` claim
 * is required, a non-empty string, and names the caller's subject (for `sessions.self`).
 */
export function createJwtAuthenticator(options: JwtOptions, keys: JWTVerifyGetKey = createRemoteJWKSet(options.jwksUrl)): JwtAuthenticator {
  return {
    async authenticate(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...options.algorithms],
          clockTolerance: options.clockToleranceSeconds,
          requiredClaims: ["exp", "sub"],
        });
        // RFC 7519: a string. Anything else names no one, so the token is refused.
        if (typeof payload.sub !== "string" || payload.sub === "") return undefined;
        const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : Array.isArray(payload.scp) ? payload.scp : [];
        const permissions = new Set<Permission>(scopes.filter((s): s is Permission => typeof s === "string" && isPermission(s)));
        return { id: `jwt:${payload.sub}`, kind: "jwt", permissions, subject: payload.sub };
      } catch {
        return undefined;
      }
    },
  };
}

/** Whether a bearer value looks like a JWT (three base64url parts) rather than an API key. */
export function looksLikeJwt(value: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value);
}
