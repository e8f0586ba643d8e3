import { readConfig } from "../server/config.js";
import { checkConfiguredFiles } from "../server/configured-files.js";
import { optionsOrExitCode } from "./command.js";
import { saveAdminKey } from "../server/admin-key.js";
import { armExitDeadline } from "./exit-deadline.js";
import { createLogger } from "../server/logger.js";
import { openStores } from "../server/open-stores.js";
import { startServer } from "../server/server.js";
import { startTracing } from "../tracing/start-tracing.js";
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
 */
async function main(): Promise<number> {
  const parsed = optionsOrExitCode(readConfig(process.argv.slice(2), process.env));
  if ("exitCode" in parsed) return parsed.exitCode;
  const config = parsed.values;
  // Loaded only when asked for: without tracing the SDK is never imported.
  const tracing = config.tracing === undefined ? undefined : await startTracing(config.tracing);
  const logger = createLogger(config.logLevel, tracing?.logFields);
  // Asked for from the start: a signal while the server starts stops it once started, rather than killing it halfway.
  const stop = stopRequested({ watchParent: config.stopWithParent === true, parentPid }, logger);
  try {
    await checkConfiguredFiles(config);
  } catch (err) {
    logger.fatal({ err }, "cannot start: a configured file is missing or invalid");
    return 1;
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
