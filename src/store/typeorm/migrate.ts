import { MigrationExecutor, type Migration } from "typeorm";
import { withClusterLock } from "./cluster-lock.js";
import type { Database } from "./data-source.js";

const lockWaitMs = 120_000;
const lockLeaseSeconds = 60;

/**
 * Brings the schema up to date and returns the names of the migrations that
 * ran. On MySQL, instances starting together, on one server or on several
 * nodes of a cluster, take a lock (cluster-lock.ts) so that only one of them
 * migrates while the others wait, then find nothing left to do.
 */
export async function migrate(database: Database): Promise<string[]> {
  const { dataSource, dialect } = database;
  if (dialect.kind === "sqlite") return names(await dataSource.runMigrations({ transaction: "each" }));
  return withClusterLock(dataSource, "migrate", { waitMs: lockWaitMs, leaseSeconds: lockLeaseSeconds }, async () => {
    const runner = dataSource.createQueryRunner();
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = "each";
      return names(await executor.executePendingMigrations());
    } finally {
      await runner.release();
    }
  });
}

function names(migrations: Migration[]): string[] {
  return migrations.map((m) => m.name);
}
