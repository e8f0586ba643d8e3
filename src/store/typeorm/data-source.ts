import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DataSource } from "typeorm";
import { readCausallyOnGalera } from "./causal-reads.js";
import { createMissingDatabase, isUnknownDatabaseError } from "./create-database.js";
import type { DatabaseLocation } from "./database-url.js";
import { mysqlDialect, sqliteDialect, type Dialect } from "./dialect.js";
import { createEntities } from "./entities.js";
import { mysqlMigrations, sqliteMigrations } from "./migrations/index.js";
import type { Engine } from "./statement-timeout.js";

/** Connection settings beyond the location. */
export interface ConnectionOptions {
  /** Connections in the MySQL pool. */
  poolSize: number;
  /** How long to wait for a MySQL connection before failing, in milliseconds. */
  connectTimeoutMs: number;
  /**
   * The longest one statement may run, in milliseconds, whatever the
   * deadline of the call it serves (30 s when not given).
   */
  maxStatementMs?: number;
  /**
   * Whether a missing MySQL database may be created (see
   * create-database.ts); when not, opening it fails saying what to run.
   */
  createMissing?: boolean;
}

/** An initialized TypeORM data source and the dialect of its engine. */
export interface Database {
  dataSource: DataSource;
  dialect: Dialect;
  /** Which server it is: MariaDB and MySQL bound statements differently (statement-timeout.ts). */
  engine: Engine;
  /** See ConnectionOptions. */
  maxStatementMs: number;
}

const defaultMaxStatementMs = 30_000;

/** Opens the database; the caller runs migrations (see migrate.ts). */
export async function openDatabase(location: DatabaseLocation, options: ConnectionOptions): Promise<Database> {
  const maxStatementMs = options.maxStatementMs ?? defaultMaxStatementMs;
  if (location.kind === "sqlite") {
    if (location.path !== ":memory:") mkdirSync(dirname(location.path), { recursive: true });
    const dataSource = new DataSource({
      type: "better-sqlite3",
      database: location.path,
      entities: createEntities("sqlite"),
      migrations: sqliteMigrations,
      enableWAL: location.path !== ":memory:",
      timeout: 5000,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma("synchronous = NORMAL");
      },
    });
    await dataSource.initialize();
    return { dataSource, dialect: sqliteDialect, engine: "sqlite", maxStatementMs };
  }
  const dataSource = new DataSource({
    type: "mysql",
    host: location.host,
    port: location.port,
    username: location.user,
    password: location.password,
    database: location.database,
    charset: "utf8mb4_unicode_ci",
    timezone: "Z",
    poolSize: options.poolSize,
    connectTimeout: options.connectTimeoutMs,
    entities: createEntities("mysql"),
    migrations: mysqlMigrations,
    extra: { waitForConnections: true, queueLimit: 0, enableKeepAlive: true },
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    if (!isUnknownDatabaseError(error)) throw error;
    await createMissingDatabase(location, options.connectTimeoutMs, options.createMissing === true);
    await dataSource.initialize();
  }
  const [server] = (await dataSource.query("SELECT VERSION() AS version")) as { version: string }[];
  const engine = /mariadb/i.test(server?.version ?? "") ? "mariadb" : "mysql";
  if (engine === "mariadb") await readCausallyOnGalera(dataSource);
  return { dataSource, dialect: mysqlDialect, engine, maxStatementMs };
}
