import type { DataSource, QueryRunner } from "typeorm";

/** What one statement did, whichever driver ran it. */
export interface StatementResult {
  /** The rows of a SELECT. */
  records?: unknown[];
  /** Rows an INSERT, UPDATE or DELETE changed. */
  affected?: number;
  /** The auto-increment key an INSERT gave its (first) row. */
  insertId?: number;
}

/**
 * One database connection taken from the pool, on which statements run in
 * order, possibly inside a transaction. Driver errors come out as TypeORM's
 * QueryFailedError (the driver's error under `driverError`), whoever ran
 * the statement.
 */
export interface SqlConnection {
  query(sql: string, params: readonly unknown[]): Promise<StatementResult>;
  /** Starts a transaction, at the given isolation level (MySQL) or the server's default. */
  begin(isolation?: "READ COMMITTED"): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Whether a transaction was begun and not yet committed or rolled back. */
  readonly inTransaction: boolean;
  /**
   * Drops a MySQL connection with a TCP reset: statements queued on it are
   * discarded instead of being sent (a COMMIT above all), and the server,
   * once it sees the connection gone, rolls back its transaction. Nothing
   * on SQLite, whose statements run synchronously in this process.
   */
  drop(): void;
  /** Gives the connection back to the pool (a dropped one is not reused). */
  release(): void;
}

/** Takes a connection from the pool (waiting for one if all are busy). */
export type Connect = () => Promise<SqlConnection>;

/** Connections through TypeORM query runners: what SQLite uses. */
export function runnerConnections(dataSource: DataSource): Connect {
  return async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
    } catch (error) {
      await runner.release();
      throw error;
    }
    return runnerConnection(runner);
  };
}

/** A connected query runner as a connection. */
export function runnerConnection(runner: QueryRunner): SqlConnection {
  return {
    async query(sql, params) {
      const result = await runner.query(sql, [...params], true);
      // mysql2 reports the insert id in its result header, better-sqlite3 as the raw result.
      const raw = result.raw as { insertId?: unknown } | number | bigint | undefined;
      const insertId = typeof raw === "object" && raw !== null ? raw.insertId : raw;
      return { records: result.records, affected: result.affected, insertId: insertId === undefined ? undefined : Number(insertId) };
    },
    begin: (isolation) => runner.startTransaction(isolation),
    commit: () => runner.commitTransaction(),
    rollback: () => runner.rollbackTransaction(),
    get inTransaction() {
      return runner.isTransactionActive;
    },
    drop() {
      const connection = (runner as unknown as { databaseConnection?: MysqlSocketConnection }).databaseConnection;
      if (connection !== undefined) dropMysqlConnection(connection);
    },
    release() {
      void runner.release();
    },
  };
}

/** A mysql2 connection, as far as dropping it goes. */
export interface MysqlSocketConnection {
  destroy(): void;
  stream?: { resetAndDestroy?(): void };
}

/** Resets a mysql2 connection's socket and takes the connection out of its pool. */
export function dropMysqlConnection(connection: MysqlSocketConnection): void {
  if (typeof connection.destroy !== "function" || connection.stream === undefined) return;
  connection.stream.resetAndDestroy?.();
  connection.destroy();
}
