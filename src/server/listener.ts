import http2 from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import { discardWhenAnsweredEarly, resetWhenAnsweredEarly } from "./early-answer.js";
import { reencodeGrpcMessages } from "./grpc-message-encoding.js";
import type { StreamRpcListener } from "./stream-rpc.js";

/** A listening HTTP/2 server that can be shut down gracefully. */
export interface Listener {
  readonly port: number;
  /**
   * Stops accepting connections and asks clients to go away; in-flight calls
   * may finish within `graceMs`. After that, `abortInFlight` is called so
   * handlers stop their work, and a little later every connection is closed.
   */
  close(graceMs: number, abortInFlight: () => void): Promise<void>;
}

// Time between aborting handlers and destroying connections, so that the
// final status of aborted calls still reaches their clients.
const finalStatusMs = 250;

/** TLS settings: with them the port serves HTTP/2 and HTTP/1.1 by ALPN. */
export interface TlsSettings {
  cert: Buffer;
  key: Buffer;
  /** CA bundle client certificates are verified against; a client may still connect without one. */
  clientCa?: Buffer;
}

/** How the listener accepts connections. */
export interface ListenOptions {
  host: string;
  port: number;
  /** Concurrent calls one connection may have open. */
  maxConcurrentStreams: number;
  tls?: TlsSettings;
  /**
   * Serves the HTTP/2 streams it takes (RPCs) without Node's compatibility
   * request and response; the rest, and every HTTP/1.1 request, go to the
   * handler.
   */
  streams?: StreamRpcListener;
}

type StreamEventListener = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number, rawHeaders: string[]) => void;

type Handler = (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void;

/**
 * Serves `handler` over cleartext HTTP/2 (h2c with prior knowledge), or with
 * TLS over HTTP/2 and HTTP/1.1 (negotiated by ALPN).
 */
export async function listen(handler: Handler, options: ListenOptions): Promise<Listener> {
  const settings = { maxConcurrentStreams: options.maxConcurrentStreams };
  const onRequest: Handler = (request, response) => {
    // HTTP/1.1 requests (allowHTTP1 under TLS) have no stream.
    if (request.stream !== undefined) resetWhenAnsweredEarly(request);
    else discardWhenAnsweredEarly(request, response);
    if (request.headers["content-type"]?.startsWith("application/grpc") === true) reencodeGrpcMessages(response as never);
    handler(request, response);
  };
  const server = options.tls
    ? http2.createSecureServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ca: options.tls.clientCa,
          requestCert: options.tls.clientCa !== undefined,
          rejectUnauthorized: false,
          allowHTTP1: true,
          minVersion: "TLSv1.2",
          settings,
        },
        onRequest,
      )
    : http2.createServer({ settings }, onRequest);
  const streams = options.streams;
  if (streams !== undefined) {
    // A request listener makes Node turn every stream into a compatibility
    // request and response; that step now runs only for the streams the RPC
    // listener leaves. HTTP/1.1 requests reach the request listener directly.
    const [compatibility] = server.listeners("stream") as StreamEventListener[];
    server.removeListener("stream", compatibility!);
    const onStream: StreamEventListener = (stream, headers, flags, rawHeaders) => {
      if (!streams(stream, headers)) compatibility!(stream, headers, flags, rawHeaders);
    };
    server.on("stream", onStream);
  }
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  // Every connection, HTTP/2 or HTTP/1.1, to cut off when the grace period
  // ends: a session closed gracefully waits for its peer to close the
  // connection, and a client that stopped reading a stream never does.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    async close(graceMs, abortInFlight) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close();
      let destroyTimer: NodeJS.Timeout | undefined;
      const graceTimer = setTimeout(() => {
        abortInFlight();
        destroyTimer = setTimeout(() => {
          for (const session of sessions) session.destroy();
          for (const socket of sockets) socket.destroy();
        }, finalStatusMs);
      }, graceMs);
      await closed;
      clearTimeout(graceTimer);
      clearTimeout(destroyTimer);
    },
  };
}
