import type { BlockList } from "node:net";
import { isIP } from "node:net";
import { createContextKey, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { parseForwardedClientCert } from "../../domain/forwarded-client-cert.js";
import { parseSpiffeId, type SpiffeId } from "../../domain/spiffe-id.js";

/** The address of the connection's peer (the sidecar, behind one), set by the server from the socket. */
export const peerAddressKey = createContextKey<string | undefined>(undefined);

/** The caller's SPIFFE ID as a trusted sidecar forwarded it; set only by trustedProxyInterceptor. */
export const forwardedIdentityKey = createContextKey<SpiffeId | undefined>(undefined);

const headerName = "x-forwarded-client-cert";

/**
 * Takes the caller's identity from the `x-forwarded-client-cert` header
 * (Envoy's format, see forwarded-client-cert.ts) when, and only when, the
 * connection comes from one of the trusted proxies: the sidecar that
 * terminated the caller's mutual TLS. The last element is the one the
 * nearest proxy added about its own client; its URI must be a valid SPIFFE
 * ID, which the certificate rules then map like a certificate's own. From any
 * other peer, or with no trusted proxies, the header is ignored and the
 * attempt logged; a malformed header is ignored with its reason. Either way
 * the call goes on, with whatever other credential it has.
 */
export function trustedProxyInterceptor(trusted: BlockList | undefined, logger: Logger): Interceptor {
  return (next) => async (request) => {
    const header = request.header.get(headerName);
    if (header === null) return next(request);
    const peer = request.contextValues.get(peerAddressKey);
    const method = `${request.service.typeName}/${request.method.name}`;
    if (trusted === undefined || peer === undefined || !isTrusted(trusted, peer)) {
      logger.warn({ peer, method }, `${headerName} ignored: the peer is not a trusted proxy (--trusted-proxies)`);
      return next(request);
    }
    const identity = forwardedIdentity(header);
    if ("error" in identity) logger.warn({ peer, method, reason: identity.error }, `${headerName} ignored: ${identity.error}`);
    else {
      logger.debug({ peer, method, caller: identity.id.id, by: identity.by, hash: identity.hash }, `${headerName} accepted from a trusted proxy`);
      request.contextValues.set(forwardedIdentityKey, identity.id);
    }
    return next(request);
  };
}

/** The SPIFFE ID of the header's last element, or why there is none. */
export function forwardedIdentity(header: string): { id: SpiffeId; by?: string; hash?: string } | { error: string } {
  const elements = parseForwardedClientCert(header);
  if ("error" in elements) return { error: `malformed header: ${elements.error}` };
  const nearest = elements.at(-1)!;
  if (nearest.uri === undefined) return { error: "the element for the caller has no URI" };
  const id = parseSpiffeId(nearest.uri);
  if ("error" in id) return { error: `its URI is not a SPIFFE ID: ${id.error}` };
  return { id, by: nearest.by, hash: nearest.hash };
}

// An IPv4 peer on a dual-stack socket is reported as ::ffff:a.b.c.d.
function isTrusted(trusted: BlockList, peer: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(peer)?.[1];
  const address = mapped ?? peer;
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? "ipv4" : "ipv6");
}
