/**
 * Classifies errors from mysql2 and better-sqlite3 (possibly wrapped in
 * TypeORM's QueryFailedError) by what the caller can do about them.
 */

// The connection or server is gone, refused, saturated or shutting down.
const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_TOO_MANY_USER_CONNECTIONS",
  "ER_SERVER_SHUTDOWN",
  "ER_QUERY_INTERRUPTED",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_LOCK_DEADLOCK",
  "ER_OPTION_PREVENTS_STATEMENT",
  // A Galera node that is not (or no longer) part of the primary component:
  // "WSREP has not yet prepared node for application use".
  "ER_UNKNOWN_COM_ERROR",
  // A cluster node that leaves the primary component during COMMIT (Galera: "Got error 6 during COMMIT").
  "ER_ERROR_DURING_COMMIT",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
]);

// Conflicts that go away when the whole transaction is tried again. A
// cluster's certification failure rolls the transaction back: Galera reports
// it as a deadlock, MySQL Group Replication as ER_TRANSACTION_ROLLBACK_DURING_COMMIT.
const retryableCodes = new Set(["ER_LOCK_DEADLOCK", "ER_LOCK_WAIT_TIMEOUT", "ER_TRANSACTION_ROLLBACK_DURING_COMMIT", "SQLITE_BUSY"]);

/** The driver's error code, looking through TypeORM's wrapper. */
export function driverErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === "string" ? code : undefined;
}

/** Whether the database is unreachable or overloaded, so the call may be retried later. */
export function isUnavailableError(error: unknown): boolean {
  const code = driverErrorCode(error);
  if (code !== undefined && unavailableCodes.has(code)) return true;
  const e = error as { fatal?: unknown; message?: unknown } | null;
  if (e?.fatal === true) return true;
  return typeof e?.message === "string" && /Pool is closed|connection is in closed state/i.test(e.message);
}

/**
 * Whether the server interrupted a statement because it ran past its time
 * limit (see statement-timeout.ts): MariaDB's ER_STATEMENT_TIMEOUT (1969),
 * which mysql2 has no name for, or MySQL's ER_QUERY_TIMEOUT (3024).
 */
export function isStatementTimeoutError(error: unknown): boolean {
  const e = error as { errno?: unknown; driverError?: { errno?: unknown } } | null;
  const errno = e?.driverError?.errno ?? e?.errno;
  return errno === 1969 || errno === 3024;
}

/** Whether retrying the transaction from the start is likely to succeed. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code !== undefined && retryableCodes.has(code);
}

/** Whether a unique key was violated. */
export function isDuplicateKeyError(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code === "ER_DUP_ENTRY" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
