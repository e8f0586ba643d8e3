import type { JWK } from "jose";
import { sendJson, type HttpRouter } from "./http-router.js";

/** What the well-known documents publish. */
export interface WellKnownDocuments {
  /** The public logout token keys. */
  jwks: { keys: JWK[] };
  /** The configured issuer, named in the metadata document when set. */
  issuer?: string;
}

/** Where the back-channel logout metadata document is served. */
export const logoutMetadataPath = "/.well-known/backchannel-logout-metadata";

// Relying parties fetch keys again when they meet an unknown kid; between
// rotations a few minutes of caching saves them the trip.
const cacheControl = { "cache-control": "public, max-age=300" };

const description =
  "Back-channel logout metadata of a session management service; not an OpenID Provider configuration. " +
  "Relying parties verify its logout tokens with the keys below, so the identity provider's own jwks_uri must publish them, " +
  "and the provider's discovery document states backchannel_logout_supported and backchannel_logout_session_supported.";

/**
 * Serves the JWK Set at /.well-known/jwks.json (and, with an issuer that has
 * a path, under that path too) and the back-channel logout metadata document.
 *
 * This service signs logout tokens but is not an OpenID Provider: it has no
 * authorization endpoint, response types, subject types or ID tokens, so it
 * serves no /.well-known/openid-configuration, which would claim to be the
 * provider's discovery document and lack the fields OpenID Connect Discovery
 * 1.0 requires (or invent them). The metadata document says only what this
 * service does, for the operator to carry into the provider's own discovery
 * document and JWK Set.
 */
export function registerWellKnown(router: HttpRouter, documents: WellKnownDocuments): void {
  const jwks = (_request: unknown, response: Parameters<typeof sendJson>[0]) => sendJson(response, 200, documents.jwks, cacheControl);
  router.get("/.well-known/jwks.json", jwks);
  if (documents.issuer !== undefined) {
    const prefix = new URL(`${documents.issuer.replace(/\/+$/, "")}/`).pathname.replace(/\/$/, "");
    if (prefix !== "") router.get(`${prefix}/.well-known/jwks.json`, jwks);
  }
  const metadata = {
    description,
    ...(documents.issuer === undefined ? {} : { issuer: documents.issuer }),
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    jwks: documents.jwks,
  };
  router.get(logoutMetadataPath, (_request, response) => sendJson(response, 200, metadata, cacheControl));
}
