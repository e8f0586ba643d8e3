import type { Pool } from "mysql2/promise";
import { rows } from "./mysql.js";

// The tables a seed fills: their secondary indexes are what makes loading
// slow once they outgrow the buffer pool, each row landing on a random leaf
// page of every index.
const seededTables = ["server_side_sessions", "session_clients", "persisted_grants"];

/** The secondary indexes of a table, as the clauses that re-create them. */
async function secondaryIndexes(admin: Pool, database: string, table: string): Promise<{ name: string; clause: string }[]> {
  const [row] = await rows<Record<string, string>>(admin, `SHOW CREATE TABLE ${database}.${table}`);
  const ddl = row!["Create Table"]!;
  return [...ddl.matchAll(/^\s*((?:UNIQUE )?KEY `([^`]+)` \([^\n]*?\))(?: USING \w+)?,?$/gm)].map((m) => ({ name: m[2]!, clause: `ADD ${m[1]!}` }));
}

/**
 * Drops the secondary indexes of the seeded tables of an empty database and
 * returns a function that builds them again, all of a table's in one ALTER:
 * InnoDB then sorts each index once instead of inserting row by row into it
 * (the way mysqldump and bulk loaders load large tables). Their definitions
 * are read from the migrated schema, so they come back exactly as they were.
 */
export async function deferSecondaryIndexes(admin: Pool, database: string): Promise<() => Promise<void>> {
  const deferred: { table: string; indexes: { name: string; clause: string }[] }[] = [];
  for (const table of seededTables) {
    const [{ n }] = await rows<{ n: unknown }>(admin, `SELECT COUNT(*) AS n FROM ${database}.${table}`);
    if (Number(n) !== 0) throw new Error(`${database}.${table} is not empty: its indexes are kept`);
  }
  for (const table of seededTables) {
    const indexes = await secondaryIndexes(admin, database, table);
    if (indexes.length === 0) continue;
    await admin.query(`ALTER TABLE ${database}.${table} ${indexes.map((i) => `DROP INDEX \`${i.name}\``).join(", ")}`);
    deferred.push({ table, indexes });
  }
  return async () => {
    for (const { table, indexes } of deferred) {
      await admin.query(`ALTER TABLE ${database}.${table} ${indexes.map((i) => i.clause).join(", ")}`);
    }
  };
}
