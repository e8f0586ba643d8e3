import mysql from "mysql2/promise";
import { openDatabase, type Database } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";

/** Runs one statement on the MySQL/MariaDB server at `serverUrl` (creating and dropping benchmark databases). */
export async function adminStatement(serverUrl: URL, statement: string): Promise<void> {
  const connection = await mysql.createConnection({
    host: serverUrl.hostname,
    port: Number(serverUrl.port || 3306),
    user: decodeURIComponent(serverUrl.username) || "root",
    password: decodeURIComponent(serverUrl.password),
  });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** Opens a database by URL with a pool of `poolSize` connections, as an instance would. */
export async function openBenchDatabase(url: string, poolSize: number): Promise<Database> {
  const parsed = parseDatabaseUrl(url);
  if ("error" in parsed) throw new Error(parsed.error);
  return openDatabase(parsed.location, { poolSize, connectTimeoutMs: 5000 });
}
