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

process.exitCode = await main();
