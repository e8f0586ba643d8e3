import { readConfig } from "../server/config.js";
import { optionsOrExitCode } from "./command.js";
import { createLogger } from "../server/logger.js";
import { openStores } from "../server/open-stores.js";
import { startServer } from "../server/server.js";

/** `npm start`: runs the service until SIGTERM or SIGINT, then shuts down gracefully. */
async function main(): Promise<number> {
  const parsed = optionsOrExitCode(readConfig(process.argv.slice(2), process.env));
  if ("exitCode" in parsed) return parsed.exitCode;
  const config = parsed.values;
  const logger = createLogger(config.logLevel);
  let stores;
  try {
    stores = await openStores(config, logger);
  } catch (err) {
    logger.fatal({ err }, "cannot open the database");
    return 1;
  }
  let server;
  try {
    server = await startServer(config, stores, logger);
  } catch (err) {
    logger.fatal({ err }, "cannot start the server");
    await stores.close();
    return 1;
  }
  if (server.generatedAdminKey !== undefined) printAdminKey(server.generatedAdminKey, server.port);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  logger.info({ signal }, "stopping");
  await server.close();
  await stores.close();
  logger.info("stopped");
  return 0;
}

// Shown once, on stdout, apart from the JSON log: only its hash is stored.
function printAdminKey(key: string, port: number): void {
  process.stdout.write(
    [
      "",
      "An admin API key was generated (it has every permission). It is shown only this once:",
      "",
      `    ${key}`,
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
