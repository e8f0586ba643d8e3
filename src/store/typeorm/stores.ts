import { unavailable } from "../../domain/errors.js";
import { createAuditLog } from "./audit-log.js";
import type { StoreSet, Stores, TransactionOptions } from "../stores.js";
import { createClientStore } from "./client-store.js";
import type { Database } from "./data-source.js";
import { isRetryableTransactionError } from "./driver-errors.js";
import { createGrantStore } from "./grant-store.js";
import { createNotificationOutbox } from "./notification-outbox.js";
import { createSecretStore } from "./secret-store.js";
import { createSessionStore } from "./session-store.js";
import { createLock, poolExecutor, runnerExecutor, type SqlExecutor } from "./sql-executor.js";

// Concurrent work queues (sweepers, notifiers) and removals deleting
// neighbouring rows can deadlock on InnoDB's next-key reads, repeatedly while
// they run in step; backing off exponentially with full jitter breaks the step.
const transactionAttempts = 8;
const retryBaseMs = 10;

/** The stores over an open database (see openDatabase and migrate). */
export function createStores(database: Database): Stores {
  const { dataSource, dialect } = database;
  // SQLite has one connection; a transaction must own it until it ends.
  const lock = dialect.kind === "sqlite" ? createLock() : undefined;
  const bind = (sql: SqlExecutor): StoreSet => ({
    sessions: createSessionStore(sql, dialect),
    grants: createGrantStore(sql, dialect),
    clients: createClientStore(sql, dialect),
    outbox: createNotificationOutbox(sql, dialect),
    secrets: createSecretStore(sql, dialect),
    audit: createAuditLog(sql, dialect),
  });

  const runTransaction = async <T>(work: (tx: StoreSet) => Promise<T>, options: TransactionOptions): Promise<T> => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction(options.isolation === "read-committed" && dialect.kind === "mysql" ? "READ COMMITTED" : undefined);
    } catch (error) {
      await runner.release();
      throw unavailable(error);
    }
    try {
      const result = await work(bind(runnerExecutor(runner)));
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  };

  return {
    kind: dialect.kind,
    ...bind(poolExecutor(dataSource, lock)),

    async transaction<T>(work: (tx: StoreSet) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await (lock ? lock.runExclusive(() => runTransaction(work, options)) : runTransaction(work, options));
        } catch (error) {
          const cause = (error as { cause?: unknown }).cause ?? error;
          if (attempt >= transactionAttempts || !isRetryableTransactionError(cause)) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * retryBaseMs * 2 ** attempt));
        }
      }
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
      await poolExecutor(dataSource, lock).rows("SELECT 1 AS ok");
    },

    async close(): Promise<void> {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
