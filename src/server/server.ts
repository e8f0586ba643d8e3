import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { createPageTokenCodec } from "../domain/page-token.js";
import type { Dispatcher } from "../notifier/dispatcher.js";
import { resolveSigningKeys } from "../notifier/signing-keys.js";
import { errorInterceptor } from "../service/error-interceptor.js";
import { createSessionCounter } from "../service/session-counter.js";
import type { Stores } from "../store/stores.js";
import { applyClients, readClientsFile } from "./clients-file.js";
import type { Config } from "./config.js";
import { createHttpRouter } from "./http-router.js";
import { listenHttp1 } from "./http1-listener.js";
import { listen } from "./listener.js";
import { resolvePageTokenSecret } from "./page-token-secret.js";
import { createRoutes } from "./routes.js";
import { startNotifier } from "./start-notifier.js";
import { startSweeper } from "./start-sweeper.js";
import { registerWellKnown } from "./well-known.js";

/** A running server. */
export interface RunningServer {
  readonly port: number;
  /** The HTTP/1.1 listener's port (JWKS, discovery). */
  readonly httpPort: number;
  /** Graceful shutdown: in-flight calls finish within the configured grace period. */
  close(): Promise<void>;
}

/** Wires the services onto the stores and starts listening. */
export async function startServer(config: Config, stores: Stores, logger: Logger): Promise<RunningServer> {
  const pageTokens = createPageTokenCodec(await resolvePageTokenSecret(config.pageTokenSecret, stores.secrets));
  if (config.clientsFile !== undefined) {
    const clients = await readClientsFile(config.clientsFile, { allowHttp: config.allowHttpLogoutUris });
    logger.info({ file: config.clientsFile, ...(await applyClients(stores, clients)) }, "clients file applied");
  }
  const counter = createSessionCounter(stores.sessions, {
    exactLimit: config.countExactLimit,
    refreshMs: config.countRefreshMs,
    maxCachedFilters: 1000,
    onRefreshError: (err) => logger.warn({ err }, "recounting sessions failed"),
  });
  const signingKeys = await resolveSigningKeys(
    { files: listOption(config.signingKeyFiles), activeKid: config.signingKeyId, alg: config.logoutTokenAlg },
    stores.secrets,
  );
  // Started once the listeners are up; until then (and without a notifier)
  // queued notifications wait for the poll of an instance that delivers.
  let dispatcher: Dispatcher | undefined;
  const notifier = { wake: () => dispatcher?.wake() };
  const shutdown = new AbortController();
  const handler = connectNodeAdapter({
    routes: createRoutes({ config, logger, stores, pageTokens, counter, notifier }),
    interceptors: [errorInterceptor(logger)],
    readMaxBytes: config.maxRequestBytes,
    maxTimeoutMs: config.maxTimeoutMs,
    compressMinBytes: config.compressMinBytes,
    shutdownSignal: shutdown.signal,
  });
  const listener = await listen(handler, config.host, config.port);
  logger.info({ host: config.host, port: listener.port }, "listening (gRPC, gRPC-Web and Connect over h2c)");
  const httpRouter = createHttpRouter(logger);
  registerWellKnown(httpRouter, { jwks: signingKeys.jwks, issuer: config.issuer });
  const http1 = await listenHttp1((request, response) => httpRouter.handle(request, response), config.host, config.httpPort).catch(
    async (error: unknown) => {
      await listener.close(0, () => shutdown.abort());
      throw error;
    },
  );
  logger.info({ host: config.host, httpPort: http1.port, kid: signingKeys.active.kid }, "serving logout token keys over HTTP/1.1");
  if (config.notifier) dispatcher = startNotifier(config, stores, signingKeys, logger);
  const sweeper = config.sweeper ? startSweeper(config, stores, notifier, logger) : undefined;

  return {
    port: listener.port,
    httpPort: http1.port,
    async close() {
      logger.info({ graceMs: config.shutdownGraceMs }, "shutting down");
      await Promise.all([listener.close(config.shutdownGraceMs, () => shutdown.abort()), http1.close(config.shutdownGraceMs)]);
      await dispatcher?.stop();
      await sweeper?.stop();
    },
  };
}

function listOption(value: string | undefined): string[] {
  return (value ?? "").split(",").map((item) => item.trim()).filter((item) => item !== "");
}
