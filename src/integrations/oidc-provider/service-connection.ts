import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { SecureClientSessionOptions } from "node:http2";
import { GrantStore } from "../../../gen/ts/sessionmanagement/v1/grant_store_pb.js";
import { SessionStore } from "../../../gen/ts/sessionmanagement/v1/session_store_pb.js";

/** Where the session management service is and how to call it. */
export interface ServiceConnectionOptions {
  /** The service's address, e.g. `http://127.0.0.1:50051` (h2c) or `https://sessions.internal:443`. */
  baseUrl: string;
  /** An API key with the `store.write` permission, sent as `authorization: Bearer <key>`. */
  apiKey?: string;
  /** `grpc` (default: HTTP/2, one multiplexed connection) or `connect` (the Connect protocol). */
  protocol?: "grpc" | "connect";
  /** HTTP version of the Connect protocol: `2` (default) or `1.1` (for proxies that lack HTTP/2). */
  httpVersion?: "1.1" | "2";
  /** The deadline of each call in milliseconds (default 5000); a call past it fails with DEADLINE_EXCEEDED. */
  timeoutMs?: number;
  /** TLS settings (CA, client certificate) for `https://` addresses. */
  tls?: Pick<SecureClientSessionOptions, "ca" | "cert" | "key" | "servername">;
}

/** The store clients the adapter uses, over one shared transport. */
export interface ServiceConnection {
  readonly sessions: Client<typeof SessionStore>;
  readonly grants: Client<typeof GrantStore>;
  /** The per-call deadline every adapter call passes as `timeoutMs`. */
  readonly timeoutMs: number;
  /** Closes the HTTP/2 connection (in-flight calls fail). */
  close(): void;
}

/**
 * Connects to the service. Every client shares one transport and, over
 * HTTP/2, one connection (kept alive with pings and re-opened when it drops),
 * so a busy provider does not pay a handshake per call.
 */
export function createServiceConnection(options: ServiceConnectionOptions): ServiceConnection {
  const timeoutMs = options.timeoutMs ?? 5000;
  const interceptors: Interceptor[] = [];
  const apiKey = options.apiKey;
  if (apiKey !== undefined) {
    interceptors.push((next) => (request) => {
      request.header.set("authorization", `Bearer ${apiKey}`);
      return next(request);
    });
  }
  const http2 = (options.protocol ?? "grpc") === "grpc" || options.httpVersion !== "1.1";
  const sessionManager = http2
    ? new Http2SessionManager(options.baseUrl, { pingIntervalMs: 30_000, pingTimeoutMs: 10_000, idleConnectionTimeoutMs: 5 * 60_000 }, options.tls)
    : undefined;
  const transport: Transport =
    (options.protocol ?? "grpc") === "grpc"
      ? createGrpcTransport({ baseUrl: options.baseUrl, interceptors, sessionManager: sessionManager!, defaultTimeoutMs: timeoutMs })
      : createConnectTransport({
          baseUrl: options.baseUrl,
          interceptors,
          defaultTimeoutMs: timeoutMs,
          useBinaryFormat: true,
          ...(options.httpVersion === "1.1" ? { httpVersion: "1.1" as const, nodeOptions: options.tls } : { httpVersion: "2" as const, sessionManager: sessionManager! }),
        });
  return {
    sessions: createClient(SessionStore, transport),
    grants: createClient(GrantStore, transport),
    timeoutMs,
    close: () => sessionManager?.abort(),
  };
}
