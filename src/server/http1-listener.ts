import http from "node:http";
import type { AddressInfo } from "node:net";
import { discardWhenAnsweredEarly } from "./early-answer.js";

/** A listening HTTP/1.1 server that can be shut down gracefully. */
export interface Http1Listener {
  readonly port: number;
  /** Stops accepting connections and closes idle ones; requests in flight get `graceMs`, then every connection is closed. */
  close(graceMs: number): Promise<void>;
}

/**
 * Serves `handler` over cleartext HTTP/1.1, for clients that cannot speak h2c
 * (relying-party libraries fetching keys with ordinary HTTP clients, browsers,
 * probes).
 */
export async function listenHttp1(
  handler: (request: http.IncomingMessage, response: http.ServerResponse) => void,
  host: string,
  port: number,
): Promise<Http1Listener> {
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (request, response) => {
    discardWhenAnsweredEarly(request, response);
    handler(request, response);
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
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
