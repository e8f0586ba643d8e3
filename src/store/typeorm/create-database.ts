import mysql from "mysql2/promise";
import { driverErrorCode } from "./driver-errors.js";

type MysqlLocation = { host: string; port: number; user: string; password: string; database: string };

/** The statement that creates the database the service expects, for an administrator to run. */
export function createDatabaseStatement(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS \`${database.replace(/`/g, "``")}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
}

/** Whether opening failed because the named database does not exist. */
export function isUnknownDatabaseError(error: unknown): boolean {
  return driverErrorCode(error) === "ER_BAD_DB_ERROR";
}

/**
 * Creates the missing database when `allowed` (the service may change the
 * schema) and the user has the privilege; otherwise throws an error that
 * says exactly what to run. CREATE DATABASE IF NOT EXISTS is safe when
 * instances start together, also on a cluster, which replicates it to every
 * node in one total order.
 */
export async function createMissingDatabase(location: MysqlLocation, connectTimeoutMs: number, allowed: boolean): Promise<void> {
  const statement = createDatabaseStatement(location.database);
  const explain = (why: string) =>
    new Error(`database ${location.database} does not exist on ${location.host}:${location.port} and ${why}; create it with: ${statement}`);
  if (!allowed) throw explain("migrations are off");
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({
      host: location.host,
      port: location.port,
      user: location.user,
      password: location.password,
      connectTimeout: connectTimeoutMs,
    });
  } catch (error) {
    throw explain(`the server could not be reached to create it (${(error as Error).message})`);
  }
  try {
    await connection.query(statement);
  } catch (error) {
    const code = driverErrorCode(error);
    if (code === "ER_DBACCESS_DENIED_ERROR" || code === "ER_ACCESS_DENIED_ERROR" || code === "ER_SPECIFIC_ACCESS_DENIED_ERROR") {
      throw explain(`user ${location.user} may not create it`);
    }
    throw error;
  } finally {
    await connection.end().catch(() => undefined);
  }
}
