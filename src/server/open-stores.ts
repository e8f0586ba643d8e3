import type { Logger } from "pino";
import type { Stores } from "../store/stores.js";
import { openDatabase } from "../store/typeorm/data-source.js";
import { parseDatabaseUrl, redactDatabaseUrl } from "../store/typeorm/database-url.js";
import { migrate } from "../store/typeorm/migrate.js";
import { createStores } from "../store/typeorm/stores.js";
import { statementSpans } from "../tracing/statement-spans.js";
import type { Tracing } from "../tracing/tracing.js";
import type { Config } from "./config.js";

/**
 * Opens the configured database and brings its schema up to date (or, with
 * migrations off, checks that it is). SQLite files get their folder created;
 * a missing MySQL database is created when migrations are on. With
 * `tracing`, statements are traced.
 */
export async function openStores(config: Config, logger: Logger, tracing?: Tracing): Promise<Stores> {
  const parsed = parseDatabaseUrl(config.databaseUrl);
  if ("error" in parsed) throw new Error(`DATABASE_URL ${parsed.error}`);
  const database = await openDatabase(parsed.location, {
    poolSize: config.dbPoolSize,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    maxStatementMs: config.maxStatementMs,
    createMissing: config.migrate,
  });
  try {
    if (config.migrate) {
      const applied = await migrate(database);
      if (applied.length > 0) logger.info({ migrations: applied }, "schema migrated");
    } else if (await database.dataSource.showMigrations()) {
      throw new Error("the database schema is out of date; run `npm run migrate` or start with --migrate=true");
    }
  } catch (error) {
    await database.dataSource.destroy();
    throw error;
  }
  logger.info({ database: redactDatabaseUrl(config.databaseUrl) }, "database ready");
  return createStores(database, tracing && statementSpans(tracing, database.engine));
}
