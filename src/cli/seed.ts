import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Batch, TableRows } from "../store/typeorm/bulk-loader.js";
import { bulkLoad } from "../store/typeorm/bulk-loader.js";
import { openDatabase, type Database } from "../store/typeorm/data-source.js";
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseLocation } from "../store/typeorm/database-url.js";
import { migrate } from "../store/typeorm/migrate.js";
import { parseOptions, type OptionSpec, type OptionsResult } from "../server/options.js";
import { optionsOrExitCode } from "./command.js";
import { clientColumns, createDemoData, grantColumns, sessionClientColumns, sessionColumns } from "./demo-data.js";
import { demoSubjectIds } from "./demo-people.js";

/** The seed command's settings. */
export interface SeedOptions {
  sessions: number;
  expired: number;
  seed: number;
  databaseUrl: string;
  location: DatabaseLocation;
  connections: number;
  batchSize: number;
}

const options: readonly OptionSpec[] = [
  { flag: "sessions", key: "sessions", kind: "integer", defaultValue: "10000", min: 1, description: "sessions to generate (alice, bob and carol come on top)" },
  { flag: "expired", key: "expired", kind: "integer", defaultValue: "0", min: 0, description: "how many of them have already expired (the sweeper ends them within a minute)" },
  { flag: "seed", key: "seed", kind: "integer", defaultValue: "1", min: 0, max: 0xffffffff, description: "random seed: the same seed gives the same data" },
  { flag: "connections", key: "connections", kind: "integer", defaultValue: "4", min: 1, description: "MySQL connections writing in parallel" },
  { flag: "batch-size", key: "batchSize", kind: "integer", defaultValue: "500", min: 1, description: "sessions per transaction" },
  { flag: "database-url", env: "DATABASE_URL", key: "databaseUrl", kind: "string", defaultValue: "sqlite:./data/sessions.db", description: "sqlite:<path> or mysql://user:password@host:port/database" },
];

const header = [
  "Usage: npm run seed -- [options]",
  "",
  "Adds realistic demo sessions, with their client links, grants and clients, after",
  "the sessions already in the database (migrating it first), and the README's",
  "people (alice, bob and carol, on clients web-app, mobile-app and admin-portal)",
  "unless they have sessions already. Demo clients have no back-channel logout URI,",
  "so the demo never sends a notification; no session has expired unless --expired",
  "asks for some.",
];

/** Reads the flags, then DATABASE_URL, then defaults; returns help or an error instead of throwing. */
export function readSeedOptions(argv: readonly string[], env: NodeJS.ProcessEnv): OptionsResult<SeedOptions> {
  const result = parseOptions<Omit<SeedOptions, "location">>(options, argv, env, header);
  if (!("values" in result)) return result;
  const parsed = parseDatabaseUrl(result.values.databaseUrl);
  if ("error" in parsed) return { error: `--database-url (DATABASE_URL): ${parsed.error}` };
  if (result.values.expired > result.values.sessions) return { error: `--expired: must be at most --sessions (${result.values.sessions})` };
  return { values: { ...result.values, location: parsed.location } };
}

/** What one seeding run added. */
export interface SeedSummary {
  runId: string;
  firstId: number;
  /** Every session written, the people's included. */
  sessions: number;
  /** The README's people added (those without sessions before). */
  people: string[];
  sessionClients: number;
  grants: number;
  /** Clients referred to; those already registered are left as they were. */
  clients: number;
  elapsedMs: number;
}

/** How to seed an open, migrated database. */
export interface SeedRun {
  /** Sessions to generate. */
  sessions: number;
  /** How many of them have expired by `now`; none by default. */
  expired?: number;
  /** Also add the README's people who have no sessions yet (the seed command does). */
  people?: boolean;
  /** Back-channel logout URIs at rp-N.example.com for the generated clients (benchmarks only); none by default. */
  logoutUris?: boolean;
  /** The share of sessions signed in to rp-1 (benchmarks); see DemoDataOptions. */
  firstClientShare?: number;
  seed: number;
  connections: number;
  batchSize: number;
  /** Reference time of the data; defaults to the current time. */
  now?: Date;
  /** Called after each committed batch with the sessions written so far. */
  onProgress?(sessions: number): void;
}

/**
 * Adds demo data after the newest session: ids continue from the largest one,
 * and keys, sids and subject ids carry a run id taken from `now`, so runs
 * append without colliding. Rows appear batch by batch as they commit.
 */
export async function seedDemoData(database: Database, run: SeedRun): Promise<SeedSummary> {
  const started = performance.now();
  const [row] = await database.dataSource.query("SELECT MAX(id) AS id FROM server_side_sessions");
  const firstId = (row?.id === null || row?.id === undefined ? 0 : database.dialect.readPk(row.id)) + 1;
  const people = run.people === true ? await subjectsWithoutSessions(database, demoSubjectIds) : [];
  const data = createDemoData({
    sessions: run.sessions,
    expired: run.expired,
    people,
    logoutUris: run.logoutUris,
    firstClientShare: run.firstClientShare,
    seed: run.seed,
    firstId,
    now: run.now ?? new Date(),
    batchSize: run.batchSize,
  });
  const counts = { sessions: 0, sessionClients: 0, grants: 0, clients: 0 };
  const rows = (table: string, columns: readonly string[], values: unknown[], ifAbsent = false): TableRows => ({ table, columns, values, ifAbsent });
  const batches = function* (): Generator<Batch> {
    for (const b of data.batches) {
      yield [
        rows("server_side_sessions", sessionColumns, b.sessions),
        rows("session_clients", sessionClientColumns, b.sessionClients),
        rows("persisted_grants", grantColumns, b.grants),
      ];
    }
  };
  await bulkLoad(database, batches(), {
    connections: run.connections,
    onCommit(rows) {
      counts.sessions += rows.get("server_side_sessions")!;
      counts.sessionClients += rows.get("session_clients")!;
      counts.grants += rows.get("persisted_grants")!;
      run.onProgress?.(counts.sessions);
    },
  });
  // Last, because only now is it known which clients the sessions use.
  const clients = data.clientRows();
  await bulkLoad(database, [[rows("clients", clientColumns, clients, true)]], { connections: 1 });
  counts.clients = clients.length / clientColumns.length;
  return { runId: data.runId, firstId, people, ...counts, elapsedMs: performance.now() - started };
}

// Seeding again brings back the people a tour ended, and never doubles the others.
async function subjectsWithoutSessions(database: Database, subjects: readonly string[]): Promise<string[]> {
  const placeholders = subjects.map(() => "?").join(", ");
  const rows: { subject_id: unknown }[] = await database.dataSource.query(
    `SELECT DISTINCT subject_id FROM server_side_sessions WHERE subject_id IN (${placeholders})`,
    [...subjects],
  );
  const present = new Set(rows.map((r) => database.dialect.readText(r.subject_id)));
  return subjects.filter((s) => !present.has(s));
}

/** `npm run seed`: prints progress and a summary; exit code 2 for bad options, 1 for failures. */
async function main(): Promise<number> {
  const parsed = optionsOrExitCode(readSeedOptions(process.argv.slice(2), process.env));
  if ("exitCode" in parsed) return parsed.exitCode;
  const o = parsed.values;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let database: Database | undefined;
  try {
    // One more than the writers: migrate() holds a connection for its lock while the migrations take another.
    database = await openDatabase(o.location, { poolSize: o.connections + 1, connectTimeoutMs: 5000 });
    const applied = await migrate(database);
    if (applied.length > 0) say(`migrated: ${applied.join(", ")}`);
    say(`seeding ${o.sessions} sessions (seed ${o.seed}${o.expired > 0 ? `, ${o.expired} expired` : ""}) into ${redactDatabaseUrl(o.databaseUrl)}`);
    let reported = 0;
    const summary = await seedDemoData(database, {
      sessions: o.sessions,
      expired: o.expired,
      people: true,
      seed: o.seed,
      connections: o.connections,
      batchSize: o.batchSize,
      onProgress(sessions) {
        // One line per tenth, so that logs stay short whatever the size.
        const tenth = Math.floor((sessions * 10) / o.sessions);
        if (tenth > reported) {
          reported = tenth;
          say(`  ${sessions} / ${o.sessions} sessions`);
        }
      },
    });
    const total = summary.sessions + summary.sessionClients + summary.grants + summary.clients;
    const seconds = summary.elapsedMs / 1000;
    say(
      `seeded ${summary.sessions} sessions (ids ${summary.firstId}-${summary.firstId + summary.sessions - 1}, run ${summary.runId}), ` +
        `${summary.sessionClients} session clients, ${summary.grants} grants, ${summary.clients} clients ` +
        `in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} rows/s)`,
    );
    if (summary.people.length > 0) say(`with the README's people: ${summary.people.join(", ")}`);
    return 0;
  } catch (error) {
    // Not the error object itself: it carries the whole multi-megabyte statement.
    process.stderr.write(`seed failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    if (database?.dataSource.isInitialized) await database.dataSource.destroy();
  }
}

// The module is also imported by tests, which must not start the command. The
// module's URL is its real path, so the script's path is resolved too (a
// checkout reached through a symbolic link).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) process.exitCode = await main();
