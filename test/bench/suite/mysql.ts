import mysql, { type Pool } from "mysql2/promise";

/** Connection settings of a mysql:// server URL, optionally for one database. */
export function connectionConfig(serverUrl: string, database?: string): mysql.PoolOptions {
  const url = new URL(serverUrl);
  if (url.protocol !== "mysql:") throw new Error(`--mysql-url must be a mysql:// URL, not ${serverUrl}`);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username) || "root",
    password: decodeURIComponent(url.password),
    database,
    timezone: "Z",
  };
}

/** The URL of one database on the server, as the service and the seed code take it. */
export function databaseUrl(serverUrl: string, database: string): string {
  return new URL(database, serverUrl.endsWith("/") ? serverUrl : `${serverUrl}/`).toString();
}

/** A pool of `size` connections to the server (or to one database on it). */
export function openPool(serverUrl: string, size: number, database?: string): Pool {
  return mysql.createPool({ ...connectionConfig(serverUrl, database), connectionLimit: size, maxIdle: size });
}

/** Column values of VARBINARY identifiers come back as Buffers. */
export const readText = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString("utf8") : String(value));

/** Rows of a query, typed. */
export async function rows<T>(pool: Pool | mysql.PoolConnection, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  return (await pool.query(sql, params as never))[0] as T[];
}
