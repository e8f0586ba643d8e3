import assert from "node:assert/strict";
import type { MigrationInterface, QueryRunner } from "typeorm";
import { openDatabase, type Database } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { mysqlMigrations, sqliteMigrations } from "../../src/store/typeorm/migrations/index.js";
import type { TestBackend } from "./backends.js";

/** A fresh database migrated up to, not including, one migration. */
export interface DatabaseBeforeMigration {
  database: Database;
  /** Runs the remaining migrations' up and down. */
  runner: QueryRunner;
  /** Every migration of the backend, oldest first. */
  migrations: MigrationInterface[];
  /** Where the migration under test stands in `migrations`. */
  index: number;
  /** Releases the runner, closes the database and drops it. */
  close(): Promise<void>;
}

/**
 * Creates an empty database on the backend and applies every migration
 * before the one whose name starts with `name`, so a test can write rows as
 * older releases did and then run that migration over them.
 */
export async function openBeforeMigration(backend: TestBackend, name: string): Promise<DatabaseBeforeMigration> {
  const { url, remove } = await backend.createEmpty();
  const parsed = parseDatabaseUrl(url);
  assert.ok("location" in parsed);
  const database = await openDatabase(parsed.location, { poolSize: 2, connectTimeoutMs: 5000 });
  const migrations = (backend.name === "mysql" ? mysqlMigrations : sqliteMigrations).map((M) => new M());
  const index = migrations.findIndex((m) => m.name?.startsWith(name));
  assert.ok(index > 0, `no migration named ${name}…`);
  const runner = database.dataSource.createQueryRunner();
  for (const migration of migrations.slice(0, index)) await migration.up(runner);
  return {
    database,
    runner,
    migrations,
    index,
    async close() {
      if (!runner.isReleased) await runner.release();
      await database.dataSource.destroy();
      await remove();
    },
  };
}
