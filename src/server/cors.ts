import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { cors } from "@connectrpc/connect";

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;
type Handler = (request: Request, response: Response) => void;

// Beyond what the RPC protocols need: the credential and the request id.
const allowedHeaders = [...cors.allowedHeaders, "authorization", "x-request-id"].map((h) => h.toLowerCase()).join(", ");
const exposedHeaders = [...cors.exposedHeaders, "x-request-id"].map((h) => h.toLowerCase()).join(", ");
const allowedMethods = [...cors.allowedMethods].join(", ");
const preflightMaxAgeSeconds = 7200;

/**
 * Lets web pages from the given origins call the service from a browser
 * (Connect and gRPC-Web): answers preflight requests and marks the answers
 * to them as readable. Other origins get no CORS headers, so browsers keep
 * their pages out. Credentials still travel in the authorization header, never
 * in cookies. With no origins configured the handler is returned as it is.
 */
export function withCors<H extends Handler>(handler: H, origins: readonly string[]): H {
  if (origins.length === 0) return handler;
  const anyOrigin = origins.includes("*");
  const allowed = new Set(origins);
  return ((request: Request, response: Response) => {
    const origin = request.headers.origin;
    if (typeof origin !== "string" || !(anyOrigin || allowed.has(origin))) return handler(request, response);
    response.setHeader("access-control-allow-origin", origin);
    response.setHeader("vary", "Origin");
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
      response.writeHead(204, {
        "access-control-allow-methods": allowedMethods,
        "access-control-allow-headers": allowedHeaders,
        "access-control-max-age": String(preflightMaxAgeSeconds),
      });
      response.end();
      return;
    }
    response.setHeader("access-control-expose-headers", exposedHeaders);
    handler(request, response);
  }) as H;
}

/** Whether a configured value is an origin ("https://admin.example.com", with a port if not the default) or "*". */
export function isOrigin(value: string): boolean {
  if (value === "*") return true;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}
