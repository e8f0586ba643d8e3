/** The SQL engines whose statements can be told to stop themselves. */
export type Engine = "mariadb" | "mysql" | "sqlite";

/**
 * The statement with a server-side time limit, so that the database itself
 * interrupts it (and frees its locks) when `timeoutMs` have passed, even if
 * this process can no longer reach it to say so. MariaDB bounds any
 * statement (`SET STATEMENT max_statement_time … FOR`, error 1969); MySQL 8
 * bounds only SELECT (the MAX_EXECUTION_TIME hint, error 3024), other
 * statements there are bounded by the client alone (see sql-executor.ts).
 * SQLite runs statements synchronously in this process: nothing to add.
 */
export function boundStatement(engine: Engine, sql: string, timeoutMs: number): string {
  const ms = Math.max(1, Math.ceil(timeoutMs));
  if (engine === "mariadb") return `SET STATEMENT max_statement_time=${(ms / 1000).toFixed(3)} FOR ${sql}`;
  if (engine === "mysql" && /^SELECT\s/i.test(sql)) return `SELECT /*+ MAX_EXECUTION_TIME(${ms}) */ ${sql.slice(7)}`;
  return sql;
}
