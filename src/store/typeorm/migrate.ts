import { createHash } from "node:crypto";
import { MigrationExecutor, type Migration } from "typeorm";
import type { Database } from "./data-source.js";

const lockTimeoutSeconds = 120;

/**
 * Brings the schema up to date and returns the names of the migrations that
 * ran. On MySQL, instances starting together take a named lock so that only
 * one of them migrates while the others wait.
 */
export async function migrate(database: Database): Promise<string[]> {
  const { dataSource, dialect } = database;
  if (dialect.kind === "sqlite") return names(await dataSource.runMigrations({ transaction: "each" }));
  // The lock belongs to a connection: migrate on that same connection, so one is enough.
  const runner = dataSource.createQueryRunner();
  try {
    // Named locks are server-wide: scope the name to this database (at most 64 characters).
    const [{ name }] = await runner.query("SELECT DATABASE() AS name");
    const lockName = `sessionmanagement.migrate.${createHash("sha256").update(String(name)).digest("hex").slice(0, 32)}`;
    const [row] = await runner.query("SELECT GET_LOCK(?, ?) AS acquired", [lockName, lockTimeoutSeconds]);
    if (Number(row?.acquired) !== 1) throw new Error("timed out waiting for another instance to finish migrating");
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = "each";
      return names(await executor.executePendingMigrations());
    } finally {
      await runner.query("SELECT RELEASE_LOCK(?)", [lockName]);
    }
  } finally {
    await runner.release();
  }
}

function names(migrations: Migration[]): string[] {
  return migrations.map((m) => m.name);
}
