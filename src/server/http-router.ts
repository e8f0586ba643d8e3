import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

/** Answers one HTTP/1.1 request. */
export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/**
 * Routes plain HTTP/1.1 requests by method and exact path. Small on purpose:
 * each concern registers its own paths (key documents here; health, metrics
 * and browser protocols can join the same listener).
 */
export interface HttpRouter {
  /** Serves GET, and HEAD with the same headers, of one path. */
  get(path: string, handler: HttpHandler): void;
  /** Serves one method of one path. */
  route(method: string, path: string, handler: HttpHandler): void;
  /** The request listener: 404 for unknown paths, 405 for other methods, 500 (logged) when a handler fails. */
  handle(request: IncomingMessage, response: ServerResponse): void;
}

/** A router with no routes. */
export function createHttpRouter(logger: Logger): HttpRouter {
  const routes = new Map<string, Map<string, HttpHandler>>();
  const route = (method: string, path: string, handler: HttpHandler) => {
    const methods = routes.get(path) ?? new Map<string, HttpHandler>();
    if (methods.has(method)) throw new Error(`${method} ${path} is routed twice`);
    methods.set(method, handler);
    routes.set(path, methods);
  };
  return {
    get(path, handler) {
      route("GET", path, handler);
      route("HEAD", path, handler);
    },
    route,
    handle(request, response) {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      const methods = routes.get(path);
      const handler = methods?.get(request.method ?? "");
      if (handler === undefined) {
        if (methods !== undefined) response.setHeader("allow", [...methods.keys()].join(", "));
        return sendJson(response, methods === undefined ? 404 : 405, { error: methods === undefined ? "not found" : "method not allowed" });
      }
      Promise.resolve()
        .then(() => handler(request, response))
        .catch((err: unknown) => {
          logger.error({ err, path }, "HTTP handler failed");
          if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
          else response.destroy();
        });
    },
  };
}

/** Sends a JSON body; HEAD requests get the headers only. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(response.req.method === "HEAD" ? undefined : text);
}
