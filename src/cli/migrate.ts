import { readConfig } from "../server/config.js";
import { optionsOrExitCode } from "./command.js";
import { openDatabase } from "../store/typeorm/data-source.js";
import { parseDatabaseUrl, redactDatabaseUrl } from "../store/typeorm/database-url.js";
import { migrate } from "../store/typeorm/migrate.js";

/**
 * `npm run migrate`: applies pending schema migrations to the configured
 * database (same options as the server) and lists what ran. For deployments
 * that start the server with --migrate=false.
 */
async function main(): Promise<number> {
  const parsed = optionsOrExitCode(readConfig(process.argv.slice(2), process.env));
  if ("exitCode" in parsed) return parsed.exitCode;
  const config = parsed.values;
  const url = parseDatabaseUrl(config.databaseUrl);
  if ("error" in url) throw new Error(url.error);
  const database = await openDatabase(url.location, { poolSize: 2, connectTimeoutMs: config.dbConnectTimeoutMs, createMissing: true });
  try {
    const applied = await migrate(database);
    const target = redactDatabaseUrl(config.databaseUrl);
    process.stdout.write(
      applied.length === 0 ? `${target}: schema is up to date\n` : `${target}: applied ${applied.join(", ")}\n`,
    );
    return 0;
  } finally {
    await database.dataSource.destroy();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`migration failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
