import { isDomainError, outcomeUnknown, unavailable } from "../../domain/errors.js";
import { currentCall } from "../call-deadline.js";
import { createAuditLog } from "./audit-log.js";
import type { StatementTracing } from "../statement-tracing.js";
import type { StoreSet, Stores, TransactionOptions } from "../stores.js";
import { createClientStore } from "./client-store.js";
import type { Database } from "./data-source.js";
import { isRetryableTransactionError } from "./driver-errors.js";
import { createGrantStore } from "./grant-store.js";
import { createNotificationOutbox } from "./notification-outbox.js";
import { retryConflicts } from "./retry-conflicts.js";
import { createSecretStore } from "./secret-store.js";
import { createSessionStore } from "./session-store.js";
import { createTerminationJobStore } from "./termination-job-store.js";
import { mysqlConnections } from "./mysql-connections.js";
import { runnerConnections, type Connect, type SqlConnection } from "./sql-connection.js";
import {
  connectionExecutor,
  connectWithin,
  createLock,
  exclusive,
  poolExecutor,
  withinBudget,
  type SqlExecutor,
  type StatementLimits,
} from "./sql-executor.js";
import { statementBudget } from "./statement-budget.js";

/** The stores over an open database (see openDatabase and migrate); with `tracing`, statements are traced. */
export function createStores(database: Database, tracing?: StatementTracing): Stores {
  const { dataSource, dialect } = database;
  const limits: StatementLimits = { engine: database.engine, maxStatementMs: database.maxStatementMs, tracing };
  // SQLite has one connection; a transaction must own it until it ends.
  const lock = dialect.kind === "sqlite" ? createLock() : undefined;
  const factories: { [K in keyof StoreSet]: (sql: SqlExecutor) => StoreSet[K] } = {
    sessions: (sql) => createSessionStore(sql, dialect),
    grants: (sql) => createGrantStore(sql, dialect),
    clients: (sql) => createClientStore(sql, dialect),
    outbox: (sql) => createNotificationOutbox(sql, dialect, tracing?.traceparent),
    secrets: (sql) => createSecretStore(sql, dialect),
    audit: (sql) => createAuditLog(sql, dialect),
    jobs: (sql) => createTerminationJobStore(sql, dialect),
  };
  const bind = (sql: SqlExecutor): StoreSet => ({
    sessions: factories.sessions(sql),
    grants: factories.grants(sql),
    clients: factories.clients(sql),
    outbox: factories.outbox(sql),
    secrets: factories.secrets(sql),
    audit: factories.audit(sql),
    jobs: factories.jobs(sql),
  });
  // A transaction makes only the stores its work uses (most use one or two).
  const bindLazily = (sql: SqlExecutor): StoreSet => {
    const made: Partial<StoreSet> = {};
    const store = <K extends keyof StoreSet>(name: K): StoreSet[K] => (made[name] ??= factories[name](sql));
    return {
      get sessions() {
        return store("sessions");
      },
      get grants() {
        return store("grants");
      },
      get clients() {
        return store("clients");
      },
      get outbox() {
        return store("outbox");
      },
      get secrets() {
        return store("secrets");
      },
      get audit() {
        return store("audit");
      },
      get jobs() {
        return store("jobs");
      },
    };
  };

  // MySQL statements run on the driver's pool directly; SQLite's through TypeORM's runner.
  const connect: Connect = dialect.kind === "mysql" ? mysqlConnections(dataSource) : runnerConnections(dataSource);
  const pooled = poolExecutor(connect, limits, lock);

  const runTransaction = async <T>(work: (tx: StoreSet) => Promise<T>, options: TransactionOptions): Promise<T> => {
    const connection = await connectWithin(connect, statementBudget(limits.maxStatementMs));
    const isolation = options.isolation === "read-committed" && dialect.kind === "mysql" ? "READ COMMITTED" : undefined;
    try {
      await withinBudget(connection.begin(isolation), statementBudget(limits.maxStatementMs), connection);
    } catch (error) {
      connection.release();
      throw isDomainError(error) || currentCall()?.signal.aborted ? error : unavailable(error);
    }
    try {
      const result = await work(bindLazily(connectionExecutor(connection, limits)));
      // No COMMIT once the call has ended: the transaction is rolled back.
      const budget = statementBudget(limits.maxStatementMs);
      await withinBudget(commit(connection), budget, connection, true);
      connection.release();
      return result;
    } catch (error) {
      const ending = rollBackAndRelease(connection);
      // A call that has ended answers at once; the clean-up goes on without it.
      // SQLite's one connection must be clean before the next transaction.
      if (dialect.kind === "sqlite" || currentCall()?.signal.aborted !== true) await ending;
      throw error;
    }
  };

  // Rolls back what is still open (nothing if the connection was dropped),
  // bounded by the server's maximum however the call ended, then releases.
  const rollBackAndRelease = async (connection: SqlConnection): Promise<void> => {
    if (connection.inTransaction) {
      await withinBudget(connection.rollback(), { timeoutMs: limits.maxStatementMs, byCall: false }, connection).catch(() => undefined);
    }
    connection.release();
  };

  return {
    kind: dialect.kind,
    ...bind(pooled),

    async transaction<T>(work: (tx: StoreSet) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      return retryConflicts(() => (lock ? exclusive(lock, limits, () => runTransaction(work, options)) : runTransaction(work, options)));
    },

    poolUsage() {
      if (dialect.kind === "sqlite") return { size: 1, inUse: lock!.busy ? 1 : 0, waiting: lock!.waiting };
      // mysql2's pool keeps these counts in its queues.
      const pool = (dataSource.driver as unknown as { pool?: Record<string, { length: number } | undefined> }).pool;
      const all = pool?._allConnections?.length ?? 0;
      const free = pool?._freeConnections?.length ?? 0;
      return { size: all, inUse: all - free, waiting: pool?._connectionQueue?.length ?? 0 };
    },

    async ping(): Promise<void> {
      await pooled.rows("SELECT 1 AS ok");
    },

    async close(): Promise<void> {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

// Conflicts reported at commit (Galera's certification) roll back: retried.
// Any other failure of COMMIT (its answer lost with the connection, a
// cluster node leaving the primary component while committing) leaves the
// outcome unknown: the caller is told so and may retry, never INTERNAL.
async function commit(connection: SqlConnection): Promise<void> {
  try {
    await connection.commit();
  } catch (error) {
    throw isRetryableTransactionError(error) || isDomainError(error) ? error : outcomeUnknown(error);
  }
}
