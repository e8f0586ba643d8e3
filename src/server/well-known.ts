import type { JWK } from "jose";
import { sendJson, type HttpRouter } from "./http-router.js";

/** What the well-known documents publish. */
export interface WellKnownDocuments {
  /** The public logout token keys. */
  jwks: { keys: JWK[] };
  /** The configured issuer; without one there is no discovery document. */
  issuer?: string;
}

// Relying parties fetch keys again when they meet an unknown kid; between
// rotations a few minutes of caching saves them the trip.
const cacheControl = { "cache-control": "public, max-age=300" };

/**
 * Serves the JWK Set at /.well-known/jwks.json and, with an issuer, the
 * OpenID discovery document where discovery looks for it (the issuer's path
 * followed by /.well-known/openid-configuration), for deployments where this
 * service holds the issuer's logout token keys. The document says only what
 * this service does: issuer, jwks_uri and back-channel logout support with
 * `sid`.
 */
export function registerWellKnown(router: HttpRouter, documents: WellKnownDocuments): void {
  const jwks = (_request: unknown, response: Parameters<typeof sendJson>[0]) => sendJson(response, 200, documents.jwks, cacheControl);
  router.get("/.well-known/jwks.json", jwks);
  if (documents.issuer === undefined) return;
  const base = documents.issuer.replace(/\/+$/, "");
  const prefix = new URL(`${base}/`).pathname.replace(/\/$/, "");
  if (prefix !== "") router.get(`${prefix}/.well-known/jwks.json`, jwks);
  const discovery = {
    issuer: documents.issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  };
  router.get(`${prefix}/.well-known/openid-configuration`, (_request, response) => sendJson(response, 200, discovery, cacheControl));
}
