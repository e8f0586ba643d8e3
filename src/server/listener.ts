import http2 from "node:http2";
import type { AddressInfo } from "node:net";

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

/** Serves `handler` over cleartext HTTP/2 (h2c with prior knowledge). */
export async function listen(
  handler: (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void,
  host: string,
  port: number,
): Promise<Listener> {
  const server = http2.createServer({}, (request, response) => {
    // A call can be answered before its request body was read (an oversized
    // message, an early error). Reset the stream once the answer is out, or
    // the client stays blocked on flow control and the connection can never
    // close gracefully.
    response.once("finish", () => {
      if (!request.readableEnded && !request.stream.destroyed) request.stream.close(http2.constants.NGHTTP2_NO_ERROR);
    });
    handler(request, response);
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
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
        }, finalStatusMs);
      }, graceMs);
      await closed;
      clearTimeout(graceTimer);
      clearTimeout(destroyTimer);
    },
  };
}
