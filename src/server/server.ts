import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { createPageTokenCodec } from "../domain/page-token.js";
import { errorInterceptor } from "../service/error-interceptor.js";
import { createSessionCounter } from "../service/session-counter.js";
import type { Stores } from "../store/stores.js";
import type { Config } from "./config.js";
import { listen } from "./listener.js";
import { resolvePageTokenSecret } from "./page-token-secret.js";
import { createRoutes } from "./routes.js";

/** A running server. */
export interface RunningServer {
  readonly port: number;
  /** Graceful shutdown: in-flight calls finish within the configured grace period. */
  close(): Promise<void>;
}

/** Wires the services onto the stores and starts listening. */
export async function startServer(config: Config, stores: Stores, logger: Logger): Promise<RunningServer> {
  const pageTokens = createPageTokenCodec(await resolvePageTokenSecret(config.pageTokenSecret, stores.secrets));
  const counter = createSessionCounter(stores.sessions, {
    exactLimit: config.countExactLimit,
    refreshMs: config.countRefreshMs,
    maxCachedFilters: 1000,
    onRefreshError: (err) => logger.warn({ err }, "recounting sessions failed"),
  });
  const shutdown = new AbortController();
  const handler = connectNodeAdapter({
    routes: createRoutes({ config, logger, stores, pageTokens, counter }),
    interceptors: [errorInterceptor(logger)],
    readMaxBytes: config.maxRequestBytes,
    maxTimeoutMs: config.maxTimeoutMs,
    compressMinBytes: config.compressMinBytes,
    shutdownSignal: shutdown.signal,
  });
  const listener = await listen(handler, config.host, config.port);
  logger.info({ host: config.host, port: listener.port }, "listening (gRPC, gRPC-Web and Connect over h2c)");

  return {
    port: listener.port,
    async close() {
      logger.info({ graceMs: config.shutdownGraceMs }, "shutting down");
      await listener.close(config.shutdownGraceMs, () => shutdown.abort());
    },
  };
}
