import cluster from "node:cluster";
import { setMaxListeners } from "node:events";
import type { TLSSocket } from "node:tls";
import { createContextValues } from "@connectrpc/connect";
import type { Logger } from "pino";
import { createPageTokenCodec } from "../domain/page-token.js";
import type { Dispatcher } from "../notifier/dispatcher.js";
import { resolveSigningKeys } from "../notifier/signing-keys.js";
import { auditInterceptor } from "../service/audit-interceptor.js";
import { authInterceptor, peerCertificateKey } from "../service/auth/auth-interceptor.js";
import { peerAddressKey } from "../service/auth/trusted-proxies.js";
import { deadlineInterceptor } from "../service/deadline-interceptor.js";
import { errorInterceptor } from "../service/error-interceptor.js";
import { createHealthState } from "../service/health.js";
import { logEarlyCall, loggingInterceptor } from "../service/logging-interceptor.js";
import { createSessionCounter } from "../service/session-counter.js";
import type { Stores } from "../store/stores.js";
import { registerAdminPage } from "./admin-page.js";
import { useBufferTextEncoding } from "./text-encoding.js";
import { applyClients, readClientsFile } from "./clients-file.js";
import { listOption, type Config } from "./config.js";
import { withCors } from "./cors.js";
import { loadCredentials } from "./credentials.js";
import { startHealthMonitor } from "./health-monitor.js";
import { createHttpRouter, type HttpHandler } from "./http-router.js";
import { listenHttp1, type Http1Listener } from "./http1-listener.js";
import { readTls } from "./configured-files.js";
import { listen } from "./listener.js";
import { clusterWideMetrics } from "./cluster-metrics.js";
import { createMetrics } from "./metrics.js";
import { registerOperations } from "./operations-routes.js";
import { resolvePageTokenSecret } from "./page-token-secret.js";
import { createRpcAdapter } from "./rpc-adapter.js";
import { apiServices, createRoutes } from "./routes.js";
import { createStreamRpcListener } from "./stream-rpc.js";
import { startNotifier } from "./start-notifier.js";
import { startSweeper } from "./start-sweeper.js";
import { rpcSpansInterceptor } from "../tracing/rpc-spans.js";
import type { Tracing } from "../tracing/tracing.js";
import { trustedProxies } from "./trusted-proxies.js";
import { startTerminationRunner } from "./start-termination-runner.js";
import type { TerminationRunner } from "../jobs/termination-runner.js";
import { registerWellKnown } from "./well-known.js";

/** A running server. */
export interface RunningServer {
  /** The main port: gRPC, gRPC-Web and Connect (h2c, or TLS with HTTP/2 and HTTP/1.1). */
  readonly port: number;
  /** The cleartext HTTP/1.1 port; with TLS, the main port (which serves HTTP/1.1 too). */
  readonly httpPort: number;
  /** The admin API key generated on this start (first start without configured credentials), to be shown once. */
  readonly generatedAdminKey?: string;
  /**
   * Graceful shutdown within one grace period (the configured one by
   * default): health turns NOT_SERVING, listeners stop accepting, and calls,
   * sweeps and logout notifications in flight get the grace period to finish;
   * then calls are cancelled and notifications aborted and recorded as
   * attempts to retry (their outcomes may take up to a second more).
   */
  close(graceMs?: number): Promise<void>;
  /** The parts of a shutdown still under way, and what they wait for: for the log of a stop that overruns. */
  unfinished(): Record<string, unknown>;
}

/** Wires the services onto the stores and starts listening; with `tracing` (see src/tracing), calls and deliveries are traced. */
export async function startServer(config: Config, stores: Stores, logger: Logger, tracing?: Tracing): Promise<RunningServer> {
  useBufferTextEncoding();
  const credentials = await loadCredentials(config, stores.secrets);
  const tls = readTls(config);
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
  const metrics = createMetrics();
  metrics.observeStores(stores);
  const health = createHealthState(apiServices.map((service) => service.typeName));
  const monitor = startHealthMonitor(stores, health, config.healthCheckIntervalMs, logger);
  await monitor.firstCheck;

  // Started once the listeners are up; until then (and without a notifier)
  // queued notifications wait for the poll of an instance that delivers.
  let dispatcher: Dispatcher | undefined;
  const notifier = { wake: () => dispatcher?.wake() };
  // Likewise: a job started before it runs waits for it (or another instance).
  let runner: TerminationRunner | undefined;
  const terminationRunner = { wake: () => runner?.wake() };
  const shutdown = new AbortController();
  // Every call in flight listens to it (Connect links each call's signal to
  // it and unlinks it when the call ends), so more than ten concurrent calls
  // are normal, not the listener leak Node would warn about.
  setMaxListeners(0, shutdown.signal);
  const httpRouter = createHttpRouter(logger);
  registerWellKnown(httpRouter, { jwks: signingKeys.jwks, issuer: config.issuer });
  // A worker of a cluster answers /metrics for all of them.
  registerOperations(httpRouter, { readiness: monitor, metrics: cluster.isWorker ? clusterWideMetrics(metrics) : metrics });
  await registerAdminPage(httpRouter);
  const rpcAdapter = createRpcAdapter({
    routes: createRoutes({ config, logger, stores, pageTokens, counter, notifier, terminationRunner, health, onJobCancelled: metrics.jobs.cancelled }),
    // The first wraps the others: every call is logged and measured with its
    // final code; errors are mapped before that; the audit trail sees calls
    // the authorization refuses as well as those it admits.
    interceptors: [
      // Outermost when on: the call's span holds its log lines and statements.
      ...(tracing ? [rpcSpansInterceptor(tracing)] : []),
      loggingInterceptor(logger),
      metrics.rpcInterceptor,
      errorInterceptor(logger),
      auditInterceptor(stores.audit, logger),
      trustedProxies(config, logger),
      authInterceptor(credentials.authenticator),
      // Innermost: only the handler's own database work is bound to the call.
      deadlineInterceptor(),
    ],
    contextValues: (socket) => {
      const values = createContextValues();
      const tlsSocket = socket as Partial<TLSSocket>;
      if (tlsSocket.authorized === true && typeof tlsSocket.getPeerCertificate === "function") values.set(peerCertificateKey, tlsSocket.getPeerCertificate());
      values.set(peerAddressKey, socket.remoteAddress);
      return values;
    },
    // Everything that is not an RPC: key documents, probes, metrics.
    fallback: (request, response) => httpRouter.handle(request as never, response as never),
    readMaxBytes: config.maxRequestBytes,
    maxTimeoutMs: config.maxTimeoutMs,
    compressMinBytes: config.compressMinBytes,
    shutdownSignal: shutdown.signal,
    // Requests the framework cannot read (malformed, oversized) are answered
    // before the interceptors: logged and counted here.
    onEarlyError: (call) => {
      call.error.metadata.set("x-request-id", logEarlyCall(logger, { ...call, code: call.error.code }));
      metrics.observeCall({ service: call.service, method: call.method, code: call.error.code, seconds: call.ms / 1000 });
    },
    logger,
  });
  const handler = withCors(rpcAdapter.listener, listOption(config.corsAllowedOrigins));
  const listener = await listen(handler, {
    host: config.host,
    port: config.port,
    maxConcurrentStreams: config.maxConcurrentStreams,
    tls,
    streams: config.http2Adapter === "stream" ? createStreamRpcListener(rpcAdapter) : undefined,
  });
  logger.info(
    { host: config.host, port: listener.port, tls: tls !== undefined, mutualTls: tls?.clientCa !== undefined },
    tls ? "listening (gRPC, gRPC-Web and Connect over TLS: HTTP/2 and HTTP/1.1)" : "listening (gRPC, gRPC-Web and Connect over h2c)",
  );
  let http1: Http1Listener | undefined;
  if (tls === undefined) {
    http1 = await listenHttp1(handler as HttpHandler, config.host, config.httpPort).catch(async (error: unknown) => {
      monitor.stop();
      await listener.close(0, () => shutdown.abort());
      throw error;
    });
    logger.info({ host: config.host, httpPort: http1.port }, "listening over HTTP/1.1 (Connect, gRPC-Web, keys, probes, metrics)");
  }
  logger.info({ kid: signingKeys.active.kid }, "serving logout token keys at /.well-known/jwks.json");
  if (config.notifier) dispatcher = startNotifier(config, stores, signingKeys, logger, metrics.notificationAttempt, tracing);
  const sweeper = config.sweeper ? startSweeper(config, stores, notifier, logger, metrics.swept) : undefined;
  if (config.terminationJobs) runner = startTerminationRunner(config, stores, notifier, logger, metrics.jobs);
  const stopping = createStopTracker();

  return {
    port: listener.port,
    httpPort: http1?.port ?? listener.port,
    generatedAdminKey: credentials.generatedAdminKey,
    async close(graceMs = config.shutdownGraceMs) {
      logger.info({ graceMs }, "shutting down");
      monitor.stop();
      // Every part stops at once, so the whole stop fits one grace period.
      await Promise.all([
        stopping.track("listener", listener.close(graceMs, () => shutdown.abort())),
        stopping.track("http1Listener", http1?.close(graceMs)),
        stopping.track("notifier", dispatcher?.stop(graceMs), () => dispatcher?.pending()),
        stopping.track("sweeper", sweeper?.stop()),
        stopping.track("terminationRunner", runner?.stop()),
      ]);
    },
    unfinished: () => stopping.unfinished(),
  };
}

// Which parts of a stop have not finished, with what each still waits for.
function createStopTracker() {
  const parts = new Map<string, () => unknown>();
  return {
    async track(name: string, stopped: Promise<void> | undefined, details: () => unknown = () => true): Promise<void> {
      if (stopped === undefined) return;
      parts.set(name, details);
      try {
        await stopped;
      } finally {
        parts.delete(name);
      }
    },
    unfinished: () => Object.fromEntries([...parts].map(([name, details]) => [name, details()])),
  };
}
