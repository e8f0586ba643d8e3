import type { QueryRunner } from "typeorm";
import type { Database } from "./data-source.js";
import type { Dialect } from "./dialect.js";
import { isRetryableTransactionError } from "./driver-errors.js";
import { marks, rowMarks } from "./sql-lists.js";

/** Rows for one table: `values` holds row after row, `columns.length` values each; Dates are bound through the dialect. */
export interface TableRows {
  table: string;
  columns: readonly string[];
  values: readonly unknown[];
  /** Keep rows whose key already exists instead of failing. */
  ifAbsent?: boolean;
}

/** Rows of one or more tables that commit together. */
export type Batch = readonly TableRows[];

/** How to load. */
export interface BulkLoadOptions {
  /** Batches written in parallel, one connection each; SQLite has only one. */
  connections: number;
  /** Called after each batch commits. */
  onCommit?(batch: Batch): void;
}

const attempts = 4;
// SQLITE_MAX_VARIABLE_NUMBER of the SQLite that better-sqlite3 bundles.
const sqliteMaxParams = 32_766;

/**
 * Writes every batch in one transaction of its own, as multi-row INSERTs
 * sized to the engine's limits. On MySQL, batches go out over several
 * connections at once, so they may commit in any order; a batch that hits a
 * deadlock is tried again. The first failure stops the load and is thrown;
 * batches committed before it stay.
 */
export async function bulkLoad(database: Database, batches: Iterable<Batch>, options: BulkLoadOptions): Promise<void> {
  const { dataSource, dialect } = database;
  const maxBytes = await statementBudget(database);
  const pending = batches[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    const runner = dataSource.createQueryRunner();
    try {
      // Batches are made on demand, while the other connections wait on the database.
      for (let next = pending.next(); !next.done && !failure; next = pending.next()) {
        await writeBatch(runner, dialect, next.value, maxBytes);
        options.onCommit?.(next.value);
      }
    } catch (error) {
      failure ??= { error };
    } finally {
      await runner.release();
    }
  };
  const connections = dialect.kind === "sqlite" ? 1 : Math.max(1, options.connections);
  await Promise.all(Array.from({ length: connections }, worker));
  if (failure) throw failure.error;
}

async function writeBatch(runner: QueryRunner, dialect: Dialect, batch: Batch, maxBytes: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runner.startTransaction();
    try {
      for (const rows of batch) {
        for (const { sql, params } of statements(rows, dialect, maxBytes)) await runner.query(sql, params);
      }
      await runner.commitTransaction();
      return;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      if (attempt >= attempts || !isRetryableTransactionError(error)) throw error;
    }
  }
}

// Consecutive rows per statement, as many as fit the byte budget (and, on
// SQLite, the limit on bound parameters).
function* statements(rows: TableRows, dialect: Dialect, maxBytes: number): Generator<{ sql: string; params: unknown[] }> {
  const width = rows.columns.length;
  // Both dialects end the statement with the VALUES row, so more rows can follow it.
  const head = rows.ifAbsent
    ? dialect.insertIfAbsent(rows.table, rows.columns)
    : `INSERT INTO ${rows.table} (${rows.columns.join(", ")}) VALUES (${marks(width)})`;
  const maxRows = dialect.kind === "sqlite" ? Math.floor(sqliteMaxParams / width) : Number.MAX_SAFE_INTEGER;
  const { values } = rows;
  for (let start = 0; start < values.length; ) {
    const params: unknown[] = [];
    let bytes = head.length;
    let count = 0;
    while (start < values.length && count < maxRows) {
      let rowBytes = 4;
      for (let k = start; k < start + width; k++) rowBytes += estimatedBytes(values[k]);
      if (count > 0 && bytes + rowBytes > maxBytes) break;
      for (let k = start; k < start + width; k++) {
        const value = values[k];
        params.push(value instanceof Date ? dialect.time(value) : value);
      }
      bytes += rowBytes;
      start += width;
      count++;
    }
    yield { sql: count === 1 ? head : `${head}, ${rowMarks(count - 1, width)}`, params };
  }
}

// An upper bound for ASCII and a fair guess otherwise; the budget leaves room
// for multi-byte characters and escapes.
function estimatedBytes(value: unknown): number {
  if (typeof value === "string") return value.length + 4;
  if (Buffer.isBuffer(value)) return value.length * 2 + 5;
  return 28;
}

// MySQL rejects statements larger than max_allowed_packet; a quarter of it
// stays below the limit even if every character took three bytes in UTF-8.
// SQLite limits parameters instead (see maxRows).
async function statementBudget(database: Database): Promise<number> {
  if (database.dialect.kind === "sqlite") return Number.POSITIVE_INFINITY;
  const [row] = await database.dataSource.query("SELECT @@max_allowed_packet AS bytes");
  return Math.floor(Number(row.bytes) / 4);
}
