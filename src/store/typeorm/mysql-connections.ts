import { QueryFailedError, type DataSource } from "typeorm";
import { dropMysqlConnection, type Connect, type SqlConnection, type StatementResult } from "./sql-connection.js";

/** What the stores use of a mysql2 pooled connection (callback API). */
interface PoolConnection {
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): unknown;
  release(): void;
  destroy(): void;
  stream?: { resetAndDestroy?(): void };
  listenerCount(event: string): number;
  on(event: "error", listener: (error: unknown) => void): unknown;
}

interface MysqlPool {
  getConnection(callback: (error: Error | null, connection: PoolConnection) => void): void;
}

/**
 * Connections straight from the mysql2 pool that TypeORM's driver holds,
 * for the stores' statements. A TypeORM query runner per statement costs
 * far more CPU than the statement's own client work (the runner, its event
 * broadcaster, the logger's checks, a promise wrapper and a copy of the
 * rows on every query); schema work and migrations still go through TypeORM.
 * Statements are sent as text with `?` values escaped by mysql2, as TypeORM
 * sends them, over the same pooled connections and settings.
 */
export function mysqlConnections(dataSource: DataSource): Connect {
  const pool = (dataSource.driver as unknown as { pool?: MysqlPool }).pool;
  if (pool === undefined) throw new Error("the MySQL data source has no connection pool (is it initialized?)");
  const warn = (error: unknown) => dataSource.logger.log("warn", `MySQL connection raised an error. ${String(error)}`);
  return () =>
    new Promise<SqlConnection>((resolve, reject) => {
      pool.getConnection((error, connection) => {
        if (error !== null) return reject(error);
        // An error event nobody listens to would stop the process (TypeORM's driver adds the same listener).
        if (connection.listenerCount("error") === 0) connection.on("error", warn);
        resolve(new MysqlConnection(connection));
      });
    });
}

class MysqlConnection implements SqlConnection {
  inTransaction = false;
  constructor(private readonly connection: PoolConnection) {}

  query(sql: string, params: readonly unknown[]): Promise<StatementResult> {
    return new Promise((resolve, reject) => {
      const values = params as unknown[];
      this.connection.query(sql, values, (error, result) => {
        if (error !== null) return reject(new QueryFailedError(sql, values, error));
        if (Array.isArray(result)) return resolve({ records: result });
        const header = result as { affectedRows?: number; insertId?: number };
        resolve({ affected: header.affectedRows, insertId: header.insertId });
      });
    });
  }

  async begin(isolation?: "READ COMMITTED"): Promise<void> {
    this.inTransaction = true;
    if (isolation !== undefined) await this.query(`SET TRANSACTION ISOLATION LEVEL ${isolation}`, []);
    await this.query("START TRANSACTION", []);
  }

  async commit(): Promise<void> {
    await this.query("COMMIT", []);
    this.inTransaction = false;
  }

  async rollback(): Promise<void> {
    await this.query("ROLLBACK", []);
    this.inTransaction = false;
  }

  drop(): void {
    dropMysqlConnection(this.connection);
  }

  release(): void {
    this.connection.release();
  }
}
