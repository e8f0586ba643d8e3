import { randomBytes } from "node:crypto";
import type { Pool } from "mysql2/promise";
import { seedDemoData } from "../../../src/cli/seed.js";
import { openDatabase } from "../../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../../src/store/typeorm/database-url.js";
import { migrate } from "../../../src/store/typeorm/migrate.js";
import { databaseUrl, rows } from "./mysql.js";
import type { DatasetSize } from "./options.js";
import { deferSecondaryIndexes } from "./deferred-indexes.js";
import { removeIdpScratch } from "./idp-fixtures.js";
import { removeScratchData } from "./removal-fixtures.js";

/** A database of demo sessions to run the scenarios on. */
export interface Dataset {
  size: DatasetSize;
  name: string;
  url: string;
  sessions: number;
  /** Created by this suite (recorded in sm_bench_suite.datasets), so write scenarios may run on it. */
  writable: boolean;
  /** Created by this run. */
  created: boolean;
}

// Which databases the suite created, and for how many sessions: a database it
// did not create (seeded by hand, say) is only ever read.
const registry = "sm_bench_suite";

/**
 * Returns the dataset of a size: sm_bench_<label>, reused when it holds the
 * right number of sessions, completed with seedDemoData when the suite made
 * it and it holds fewer, created and seeded when missing. A throwaway dataset
 * gets a random name, and the caller drops it.
 */
export async function ensureDataset(
  admin: Pool,
  serverUrl: string,
  size: DatasetSize,
  options: { throwaway: boolean; seedConnections: number; say(line: string): void },
): Promise<Dataset> {
  if (!options.throwaway) {
    await admin.query(`CREATE DATABASE IF NOT EXISTS ${registry}`);
    await admin.query(`CREATE TABLE IF NOT EXISTS ${registry}.datasets (name VARCHAR(64) PRIMARY KEY, sessions BIGINT NOT NULL, created DATETIME NOT NULL)`);
  }
  const name = options.throwaway
    ? `sm_bench_quick_${randomBytes(4).toString("hex")}`
    : `sm_bench_${size.label.replace(/[^a-z0-9]/g, "_")}`;
  const url = databaseUrl(serverUrl, name);
  const exists = (await rows(admin, "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?", [name])).length > 0;
  const owned = options.throwaway || (await rows(admin, `SELECT 1 FROM ${registry}.datasets WHERE name = ?`, [name])).length > 0;

  if (exists && !owned) {
    const count = await sessionCount(admin, name);
    if (count !== size.sessions) {
      throw new Error(`${name} exists with ${count} sessions, not ${size.sessions}, and the suite did not create it: drop it or choose another size`);
    }
    options.say(`${name}: ${count.toLocaleString("en")} sessions (not created by the suite: read scenarios only)`);
    return { size, name, url, sessions: count, writable: false, created: false };
  }

  if (!exists) {
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    if (!options.throwaway) await admin.query(`REPLACE INTO ${registry}.datasets (name, sessions, created) VALUES (?, ?, NOW())`, [name, size.sessions]);
  }
  // Scratch rows a run that was interrupted left behind.
  if (exists) {
    await removeScratchData(admin, name);
    await removeIdpScratch(admin, name);
  }
  const count = exists ? await sessionCount(admin, name) : 0;
  if (count > size.sessions) throw new Error(`${name} holds ${count} sessions, more than ${size.sessions}`);
  if (count < size.sessions) {
    try {
      await seed(url, size.sessions - count, count, { ...options, admin, database: name, fresh: !exists });
    } catch (error) {
      // A dataset this run created is dropped rather than left half loaded (or without its indexes).
      if (!exists) await dropDataset(admin, { name } as Dataset);
      throw error;
    }
  } else options.say(`${name}: ${count.toLocaleString("en")} sessions, reused`);
  return { size, name, url, sessions: size.sessions, writable: true, created: !exists };
}

/** Drops a dataset this run created, and forgets it. */
export async function dropDataset(admin: Pool, dataset: Dataset): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${dataset.name}`);
  const registered = await rows(admin, "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = 'datasets'", [registry]);
  if (registered.length > 0) await admin.query(`DELETE FROM ${registry}.datasets WHERE name = ?`, [dataset.name]);
}

async function sessionCount(admin: Pool, name: string): Promise<number> {
  const tables = await rows(admin, "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = 'server_side_sessions'", [name]);
  if (tables.length === 0) return 0;
  const [{ n }] = await rows<{ n: unknown }>(admin, `SELECT COUNT(*) AS n FROM ${name}.server_side_sessions`);
  return Number(n);
}

// The seed command's own code (npm run seed), so that every size has the
// same shape. Into a fresh database, the secondary indexes are built after
// the rows are in.
async function seed(
  url: string,
  sessions: number,
  already: number,
  options: { seedConnections: number; say(line: string): void; admin: Pool; database: string; fresh: boolean },
): Promise<void> {
  const parsed = parseDatabaseUrl(url);
  if ("error" in parsed) throw new Error(parsed.error);
  const database = await openDatabase(parsed.location, { poolSize: options.seedConnections + 1, connectTimeoutMs: 5000 });
  try {
    await migrate(database);
    const started = performance.now();
    const buildIndexes = options.fresh ? await deferSecondaryIndexes(options.admin, options.database) : undefined;
    options.say(`seeding ${sessions.toLocaleString("en")} sessions into ${url}${already > 0 ? ` (after ${already.toLocaleString("en")})` : ""}${buildIndexes ? ", indexes after the rows" : ""}`);
    let reported = 0;
    const summary = await seedDemoData(database, {
      sessions,
      seed: 1,
      // As before: RemoveSessions scenarios queue notifications (the suite's server runs no notifier to send them).
      logoutUris: true,
      connections: options.seedConnections,
      batchSize: 500,
      onProgress(done) {
        const tenth = Math.floor((done * 10) / sessions);
        if (tenth > reported) {
          reported = tenth;
          options.say(`  ${done.toLocaleString("en")} / ${sessions.toLocaleString("en")}`);
        }
      },
    });
    options.say(`seeded in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.sessionClients} client links, ${summary.grants} grants, ${summary.clients} clients`);
    if (buildIndexes) {
      const building = performance.now();
      await buildIndexes();
      options.say(`indexes built in ${((performance.now() - building) / 1000).toFixed(1)} s; loaded in ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
    }
  } finally {
    await database.dataSource.destroy();
  }
}
