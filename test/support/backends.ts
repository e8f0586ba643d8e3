import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { openDatabase, type Database } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import type { Stores } from "../../src/store/stores.js";

/** A fresh, migrated database of one backend, for one test suite. */
export interface TestDatabase {
  url: string;
  database: Database;
  stores: Stores;
  /** Closes the connection and deletes the database. */
  drop(): Promise<void>;
}

/** A database engine the suites run against. */
export interface TestBackend {
  name: "sqlite" | "mysql";
  /** Set when the backend cannot run here: the suite is skipped with this reason. */
  skip?: string;
  /** A new empty database URL (not yet migrated), and how to delete it. */
  createEmpty(): Promise<{ url: string; remove(): Promise<void> }>;
  /** A new migrated database with stores on it. */
  open(): Promise<TestDatabase>;
}

const mysqlServerUrl = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/";
// Explicit configuration or CI turns "cannot connect" into a failure instead of a skip.
const mysqlRequired = process.env.TEST_MYSQL_URL !== undefined || process.env.CI === "true";

/**
 * The backends every suite runs on: SQLite always; MySQL/MariaDB when
 * TEST_MYSQL_URL is set or a server answers at 127.0.0.1:3306. Under
 * CI=true an unreachable MySQL fails the suites rather than skipping them.
 */
export async function testBackends(): Promise<TestBackend[]> {
  return [sqliteBackend(), await mysqlBackend()];
}

function sqliteBackend(): TestBackend {
  const createEmpty = async () => {
    const dir = mkdtempSync(join(tmpdir(), "sm-test-"));
    return { url: `sqlite:${join(dir, "sessions.db")}`, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  };
  return { name: "sqlite", createEmpty, open: () => openMigrated(createEmpty) };
}

async function mysqlBackend(): Promise<TestBackend> {
  const reachable = await probe();
  const createEmpty = async () => {
    if (reachable !== true) throw new Error(`MySQL/MariaDB at ${mysqlServerUrl} is required but unreachable: ${reachable}`);
    const name = `sm_test_${randomBytes(6).toString("hex")}`;
    await admin(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return { url: new URL(name, mysqlServerUrl).toString(), remove: () => admin(`DROP DATABASE IF EXISTS ${name}`) };
  };
  const skip =
    reachable === true || mysqlRequired ? undefined : `no MySQL/MariaDB at ${mysqlServerUrl} (set TEST_MYSQL_URL or CI=true to require it)`;
  return { name: "mysql", skip, createEmpty, open: () => openMigrated(createEmpty) };
}

async function openMigrated(createEmpty: () => Promise<{ url: string; remove(): Promise<void> }>): Promise<TestDatabase> {
  const { url, remove } = await createEmpty();
  const parsed = parseDatabaseUrl(url);
  if ("error" in parsed) throw new Error(parsed.error);
  const database = await openDatabase(parsed.location, { poolSize: 8, connectTimeoutMs: 5000 });
  await migrate(database);
  const stores = createStores(database);
  return {
    url,
    database,
    stores,
    async drop() {
      await stores.close();
      await remove();
    },
  };
}

async function probe(): Promise<true | string> {
  try {
    await admin("SELECT 1");
    return true;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

async function admin(statement: string): Promise<void> {
  const url = new URL(mysqlServerUrl);
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username) || "root",
    password: decodeURIComponent(url.password),
    connectTimeout: 3000,
  });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}
