import cluster from "node:cluster";
import { readConfig } from "../server/config.js";
import { checkConfiguredFiles } from "../server/configured-files.js";
import { optionsOrExitCode } from "./command.js";
import { saveAdminKey } from "../server/admin-key.js";
import { armExitDeadline } from "./exit-deadline.js";
import { createLogger } from "../server/logger.js";
import { openStores } from "../server/open-stores.js";
import { startServer } from "../server/server.js";
import { startTracing } from "../tracing/start-tracing.js";
import { workerConfig } from "../server/shared-setup.js";
import { tellPrimary } from "./cluster-messages.js";
import { runPrimary } from "./cluster-primary.js";
import { stopRequested } from "./stop-request.js";

// Read first thing: a parent that dies while the server starts is noticed too.
const parentPid = process.ppid;
// Beyond the grace period, for the outcomes of aborted deliveries to be
// written (a second) and the database to be closed.
const exitMarginMs = 3000;

/**
 * `npm start`: runs the service until SIGTERM, SIGINT or (with
 * --stop-with-parent) the end of its parent process, then shuts down
 * gracefully, and in any case exits within the grace period plus a margin.
 * With --workers N, this process is the primary of N worker processes that
 * run this same file (see cluster-primary.ts); a signal to any of them stops
 * them all.
 */
async function main(): Promise<number> {
  const parsed = optionsOrExitCode(readConfig(process.argv.slice(2), process.env));
  if ("exitCode" in parsed) return parsed.exitCode;
  const worker = cluster.isWorker;
  const config = worker ? workerConfig(parsed.values) : parsed.values;
  // Loaded only when asked for, and only in a process that serves: without tracing the SDK is never imported.
  const serving = worker || config.workers <= 1;
  const tracing = serving && config.tracing !== undefined ? await startTracing(config.tracing) : undefined;
  const processLogger = createLogger(config.logLevel, tracing?.logFields);
  const logger = worker ? processLogger.child({ worker: cluster.worker!.id }) : processLogger;
  // Asked for from the start: a signal while the server starts stops it once started, rather than killing it halfway.
  // A worker watches the primary, its parent, in any case.
  const stop = stopRequested({ watchParent: worker || config.stopWithParent === true, parentPid }, logger);
  // A worker's stop (its own signal) stops the others too.
  if (worker) void stop.then((reason) => tellPrimary({ type: "session-management:stop", reason }));
  try {
    await checkConfiguredFiles(config);
  } catch (err) {
    logger.fatal({ err }, "cannot start: a configured file is missing or invalid");
    return 1;
  }
  if (config.workers > 1) {
    return runPrimary(config, logger, {
      stop,
      exitMarginMs: exitMarginMs + 1000,
      showAdminKey: (key, listening) => printAdminKey(key, listening.port, adminPageUrl(config.host, listening.httpPort, listening.tls), saveAdminKey(config.databaseUrl, key)),
    });
  }
  let stores;
  try {
    stores = await openStores(config, logger, tracing);
  } catch (err) {
    logger.fatal({ err }, "cannot open the database");
    return 1;
  }
  let server;
  try {
    server = await startServer(config, stores, logger, tracing);
  } catch (err) {
    logger.fatal({ err }, "cannot start the server");
    await stores.close();
    return 1;
  }
  tellPrimary({ type: "session-management:listening", port: server.port, httpPort: server.httpPort, tls: config.tlsCertFile !== undefined });
  const adminPage = adminPageUrl(config.host, server.httpPort, config.tlsCertFile !== undefined);
  logger.info({ url: adminPage }, "admin page");
  if (server.generatedAdminKey !== undefined) {
    printAdminKey(server.generatedAdminKey, server.port, adminPage, saveAdminKey(config.databaseUrl, server.generatedAdminKey));
  }
  const reason = await stop;
  logger.info({ reason }, "stopping");
  const deadline = armExitDeadline(config.shutdownGraceMs + exitMarginMs, () => ({ unfinished: server.unfinished() }), logger);
  await server.close();
  await stores.close();
  // The last spans (the stop's own deliveries) are exported before the exit.
  await tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, "exporting the last spans failed"));
  logger.info("stopped");
  deadline.stopped();
  // The channel to the primary would keep a worker alive: close it, the stop is complete.
  if (worker) cluster.worker!.disconnect();
  return 0;
}

// Where a browser on this machine finds the admin page: a wildcard address is reached through loopback.
function adminPageUrl(host: string, port: number, tls: boolean): string {
  const reachable = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `${tls ? "https" : "http"}://${reachable}:${port}/admin/`;
}

// Shown once, on stdout, apart from the JSON log: only its hash is in the database.
function printAdminKey(key: string, port: number, adminPage: string, savedTo: string | undefined): void {
  process.stdout.write(
    [
      "",
      "An admin API key was generated (it has every permission). It is shown only this once:",
      "",
      `    ${key}`,
      "",
      ...(savedTo === undefined ? [] : [`It is also saved, readable by you only, in ${savedTo}`, ""]),
      "Sign in with it on the admin page:",
      `    ${adminPage}`,
      "",
      "Send it with every call, e.g.:",
      `    npx buf curl --http2-prior-knowledge -H "authorization: Bearer ${key}" --reflect-header '*' \\`,
      `      http://127.0.0.1:${port}/sessionmanagement.v1.SessionManagement/QuerySessions`,
      "Configure --api-keys-file (or JWT access tokens, or client certificates) for real deployments.",
      "",
    ].join("\n"),
  );
}

process.exitCode = await main();
