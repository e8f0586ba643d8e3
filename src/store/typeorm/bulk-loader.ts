import { escape, raw, type SqlValue } from "mysql2";
import type { QueryRunner } from "typeorm";
import type { Database } from "./data-source.js";
import type { Dialect } from "./dialect.js";
import { isRetryableTransactionError } from "./driver-errors.js";
import { marks, rowMarks } from "./sql-lists.js";

/** Rows for one table: `values` holds row after row, `columns.length` values each. Dates are written as the stores write them. */
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
  /** Called after each batch commits, with the number of rows it wrote to each table. */
  onCommit?(rows: ReadonlyMap<string, number>): void;
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
  const maxChars = await statementBudget(database);
  const pending = batches[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  // Batches are made on demand, while the other connections wait on the
  // database, and only their statements are kept, so that the row values
  // can be collected while the database works.
  const take = () => {
    const next = pending.next();
    if (next.done) return undefined;
    const rows = new Map<string, number>();
    for (const t of next.value) rows.set(t.table, (rows.get(t.table) ?? 0) + t.values.length / t.columns.length);
    return { rows, statements: render(next.value, dialect, maxChars) };
  };
  const worker = async () => {
    const runner = dataSource.createQueryRunner();
    try {
      for (let work = take(); work && !failure; work = take()) {
        await writeBatch(runner, work.statements);
        options.onCommit?.(work.rows);
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

async function writeBatch(runner: QueryRunner, statements: readonly Statement[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runner.startTransaction();
    try {
      for (const { sql, params } of statements) await runner.query(sql, params);
      await runner.commitTransaction();
      return;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      if (attempt >= attempts || !isRetryableTransactionError(error)) throw error;
    }
  }
}

interface Statement {
  sql: string;
  params: unknown[];
}

// The batch as multi-row INSERTs of consecutive rows.
function render(batch: Batch, dialect: Dialect, maxChars: number): Statement[] {
  return batch.flatMap((rows) => {
    const width = rows.columns.length;
    // Both dialects end the statement with the VALUES row, so more rows can follow it.
    const head = rows.ifAbsent
      ? dialect.insertIfAbsent(rows.table, rows.columns)
      : `INSERT INTO ${rows.table} (${rows.columns.join(", ")}) VALUES (${marks(width)})`;
    return dialect.kind === "sqlite"
      ? sqliteStatements(head, rows.values, width, dialect)
      : mysqlStatements(`${head.slice(0, head.lastIndexOf("("))}?`, rows.values, width, maxChars);
  });
}

// Bound parameters, up to SQLite's limit on their number.
function sqliteStatements(head: string, values: readonly unknown[], width: number, dialect: Dialect): Statement[] {
  const statements: Statement[] = [];
  const step = Math.floor(sqliteMaxParams / width) * width;
  for (let start = 0; start < values.length; start += step) {
    const params = values.slice(start, start + step).map((v) => (v instanceof Date ? dialect.time(v) : v));
    const count = params.length / width;
    statements.push({ sql: count === 1 ? head : `${head}, ${rowMarks(count - 1, width)}`, params });
  }
  return statements;
}

const unset = Symbol("unset");

// The rows as SQL text, up to the size limit: mysql2 would write the same
// text, but its placeholder substitution dominated a profile of a million
// sessions. The text goes in as one raw parameter, so that mysql2 does not
// scan it for placeholders either.
function mysqlStatements(sql: string, values: readonly unknown[], width: number, maxChars: number): Statement[] {
  const statements: Statement[] = [];
  // Consecutive rows often repeat a value (the issuer; a session's subject and
  // sid in each of its grants), so each column keeps its last literal.
  const last = new Array<unknown>(width).fill(unset);
  const literals = new Array<string>(width).fill("");
  // Joined in groups of a few thousand: V8 joins short arrays several times
  // faster per string than very long ones.
  let groups: string[] = [];
  let cells: string[] = [];
  let chars = 0;
  const endGroup = () => {
    if (cells.length > 0) groups.push(cells.join(", "));
    cells = [];
  };
  const endStatement = () => {
    endGroup();
    statements.push({ sql, params: [raw(groups.join(", "))] });
    groups = [];
    chars = 0;
  };
  for (let start = 0; start < values.length; start += width) {
    let rowChars = 2 * width + 2;
    for (let k = 0; k < width; k++) {
      const value = values[start + k];
      if (value !== last[k]) {
        last[k] = value;
        literals[k] = mysqlLiteral(value);
      }
      rowChars += literals[k]!.length;
    }
    if (chars > 0 && chars + rowChars > maxChars) endStatement();
    for (let k = 0; k < width; k++) {
      const literal = literals[k]!;
      cells.push(k === 0 ? (width === 1 ? `(${literal})` : `(${literal}`) : k === width - 1 ? `${literal})` : literal);
    }
    chars += rowChars;
    if (cells.length >= 4096) endGroup();
  }
  if (chars > 0) endStatement();
  return statements;
}

// The connection runs in UTC (data-source.ts), so a Date is written as its
// UTC time, as mysql2 itself would; everything else by mysql2's own rules.
function mysqlLiteral(value: unknown): string {
  return value instanceof Date ? `'${utcText(value.getTime())}'` : escape(value as SqlValue, false, "Z");
}

const pad2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
// One entry per distinct day: bulk data spans a few dozen.
const dayTexts = new Map<number, string>();

// `YYYY-MM-DD HH:MM:SS.mmm` with arithmetic instead of Date methods, which
// were a visible share of the profile at millions of timestamps.
function utcText(ms: number): string {
  const inDay = ((ms % 86_400_000) + 86_400_000) % 86_400_000;
  const dayStart = ms - inDay;
  let day = dayTexts.get(dayStart);
  if (day === undefined) dayTexts.set(dayStart, (day = new Date(dayStart).toISOString().slice(0, 10)));
  const seconds = Math.floor(inDay / 1000);
  return `${day} ${pad2[Math.floor(seconds / 3600)]}:${pad2[Math.floor(seconds / 60) % 60]}:${pad2[seconds % 60]}.${pad3[inDay % 1000]}`;
}

// MySQL rejects statements larger than max_allowed_packet; a quarter of it in
// characters stays below the limit even if each took three bytes in UTF-8.
async function statementBudget(database: Database): Promise<number> {
  if (database.dialect.kind === "sqlite") return Number.POSITIVE_INFINITY;
  const [row] = await database.dataSource.query("SELECT @@max_allowed_packet AS bytes");
  return Math.floor(Number(row.bytes) / 4);
}
