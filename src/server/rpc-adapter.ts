import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { Socket } from "node:net";
import { Code, ConnectError, createConnectRouter, createContextValues, type ConnectRouter, type ConnectRouterOptions, type ContextValues } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { guardEarlyErrors, markEntered, type EarlyError } from "./early-errors.js";
import { capRequestedTimeout } from "./timeout-header.js";

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;

/** connect-node's adapter options, and what this server adds. */
export interface RpcAdapterOptions extends ConnectRouterOptions {
  routes(router: ConnectRouter): void;
  /** Serves what is not an RPC. */
  fallback(request: NodeRequest, response: NodeResponse): void;
  /** The values every call on a connection starts with (who the peer is). */
  contextValues?(socket: Socket): ContextValues;
  /** Calls the framework answered before the interceptors saw them (see early-errors.ts). */
  onEarlyError(call: EarlyError): void;
  logger: Logger;
}

/** The server's RPCs, ready to be served from requests or from HTTP/2 streams. */
export interface RpcAdapter {
  /** Serves a request: an RPC, or anything else through the fallback. */
  listener(request: NodeRequest, response: NodeResponse): void;
  /** The handler of an RPC's path (no query string); undefined when the path is not an RPC. */
  handler(path: string): UniversalHandler | undefined;
  /** The values a call starts with, from its connection. */
  contextValues(socket: Socket): ContextValues;
  /** The longest deadline a client may ask for, if limited. */
  maxTimeoutMs?: number;
  logger: Logger;
}

/**
 * The request listener for every RPC, as connect-node's `connectNodeAdapter`
 * makes it, with three changes: a requested deadline over the maximum is
 * capped before the framework arms a timer with it (timeout-header.ts);
 * calls the framework answers before the interceptors see them are logged
 * and counted, with their proper status (early-errors.ts); and a request body the framework stops reading early
 * stays readable, so that the listener can read and discard the rest and
 * keep an HTTP/1.1 connection in step (the framework would destroy it,
 * leaving the connection stuck until its request timeout).
 */
export function createRpcAdapter(options: RpcAdapterOptions): RpcAdapter {
  const acceptCompression = options.acceptCompression ?? [compressionGzip, compressionBrotli];
  const router = createConnectRouter({ ...options, acceptCompression, interceptors: [markEntered, ...(options.interceptors ?? [])] });
  options.routes(router);
  const handlers = new Map<string, UniversalHandler>();
  for (const handler of router.handlers) {
    handlers.set(handler.requestPath, guardEarlyErrors(handler, { acceptCompression, onEarlyError: options.onEarlyError }));
  }
  const contextValues = (socket: Socket) => options.contextValues?.(socket) ?? createContextValues();
  const listener = (request: NodeRequest, response: NodeResponse) => {
    const handler = handlers.get(request.url?.split("?", 2)[0] ?? "");
    if (handler === undefined) return options.fallback(request, response);
    let universal: ReturnType<typeof universalRequestFromNodeRequest>;
    try {
      universal = universalRequestFromNodeRequest(request, response, undefined, contextValues(request.socket));
    } catch {
      // No authority (":authority" or "host"): the framework cannot make the request's URL.
      response.writeHead(400);
      response.end();
      return;
    }
    if (options.maxTimeoutMs !== undefined) capRequestedTimeout(universal.header, options.maxTimeoutMs);
    handler({ ...universal, body: readBody(request) })
      .then((answer) => universalResponseToNodeResponse(answer, response))
      .catch((reason: unknown) => {
        if (ConnectError.from(reason).code === Code.Aborted) return;
        options.logger.warn({ err: reason, procedure: handler.requestPath }, "writing the answer failed");
      });
  };
  return { listener, handler: (path) => handlers.get(path), contextValues, maxTimeoutMs: options.maxTimeoutMs, logger: options.logger };
}

async function* readBody(request: NodeRequest): AsyncIterable<Uint8Array> {
  yield* request.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
}
