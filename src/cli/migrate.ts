import { readConfig } from "../server/config.js";
import { openDatabase } from "../store/typeorm/data-source.js";
import { parseDatabaseUrl, redactDatabaseUrl } from "../store/typeorm/database-url.js";
import { migrate } from "../store/typeorm/migrate.js";

/**
 * `npm run migrate`: applies pending schema migrations to the configured
 * database (same options as the server) and lists what ran. For deployments
 * that start the server with --migrate=false.
 */
async function main(): Promise<number> {
  const result = readConfig(process.argv.slice(2), process.env);
  if ("help" in result) {
    process.stdout.write(`${result.help.replace("npm start", "npm run migrate")}\n`);
    return 0;
  }
  if ("error" in result) {
    process.stderr.write(`${result.error}\n`);
    return 2;
  }
  const { config } = result;
  const parsed = parseDatabaseUrl(config.databaseUrl);
  if ("error" in parsed) throw new Error(parsed.error);
  const database = await openDatabase(parsed.location, { poolSize: 1, connectTimeoutMs: config.dbConnectTimeoutMs });
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
