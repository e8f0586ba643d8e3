import { marks } from "./sql-lists.js";

/**
 * The differences between the two SQL engines the stores run on, kept in one
 * place. Everything else is portable SQL.
 */
export interface Dialect {
  readonly kind: "mysql" | "sqlite";
  /** Appended to a SELECT inside a transaction to lock the rows it reads. */
  readonly forUpdate: string;
  /**
   * Appended to a SELECT inside a transaction to lock the rows it reads,
   * passing over rows other transactions hold, so that several instances
   * can claim work from one table without waiting on each other. Empty on
   * SQLite, whose single writer already excludes everyone else.
   */
  readonly forUpdateSkipLocked: string;
  /** A Date as the driver binds it for a datetime column. */
  time(value: Date): unknown;
  /** A datetime column's value as read back. */
  readTime(value: unknown): Date;
  /** A text column stored as bytes (identifiers) as read back. */
  readText(value: unknown): string;
  /** An auto-increment key as read back. */
  readPk(value: unknown): number;
  /** `INSERT … VALUES (…)` that replaces `update` columns when `key` already exists. */
  upsert(table: string, columns: readonly string[], key: readonly string[], update: readonly string[]): string;
  /** `INSERT … VALUES (…)` that does nothing when the row exists. */
  insertIfAbsent(table: string, columns: readonly string[]): string;
  /**
   * A condition that a text column equals a value exactly (byte for byte),
   * bound twice; its first half can use an index on the column.
   */
  exactText(column: string): string;
  /** Written after a table in FROM: the query reads that table through this index and no other. */
  useIndex(index: string): string;
}

const readText = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString("utf8") : String(value));
const readPk = (value: unknown): number => Number(value);

/** MySQL 8 and MariaDB 10.6+ through mysql2, with the connection in UTC. */
export const mysqlDialect: Dialect = {
  kind: "mysql",
  forUpdate: " FOR UPDATE",
  forUpdateSkipLocked: " FOR UPDATE SKIP LOCKED",
  time: (value) => value,
  readTime: (value) => (value instanceof Date ? value : new Date(`${String(value).replace(" ", "T")}Z`)),
  readText,
  readPk,
  upsert: (table, columns, _key, update) =>
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${marks(columns.length)}) ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(", ")}`,
  insertIfAbsent: (table, columns) => `INSERT IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${marks(columns.length)})`,
  // Text columns compare case- and accent-insensitively under the table's collation.
  exactText: (column) => `${column} = ? AND CAST(${column} AS BINARY) = CAST(? AS BINARY)`,
  useIndex: (index) => ` FORCE INDEX (${index})`,
};

/**
 * SQLite through better-sqlite3. Times are stored as UTC text
 * `YYYY-MM-DD HH:MM:SS.mmm`, as TypeORM writes them, which sorts correctly.
 */
export const sqliteDialect: Dialect = {
  kind: "sqlite",
  forUpdate: "",
  forUpdateSkipLocked: "",
  time: (value) => value.toISOString().replace("T", " ").replace("Z", ""),
  readTime: (value) => new Date(`${String(value).replace(" ", "T")}Z`),
  readText,
  readPk,
  upsert: (table, columns, key, update) =>
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${marks(columns.length)}) ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(", ")}`,
  insertIfAbsent: (table, columns) => `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${marks(columns.length)})`,
  // SQLite compares text with the BINARY collation unless told otherwise.
  exactText: (column) => `${column} = ? AND ${column} = ?`,
  useIndex: (index) => ` INDEXED BY ${index}`,
};
