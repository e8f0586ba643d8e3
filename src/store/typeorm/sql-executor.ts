import type { DataSource, QueryRunner } from "typeorm";
import { unavailable } from "../../domain/errors.js";
import { isUnavailableError } from "./driver-errors.js";

/** Runs SQL with positional `?` parameters, either on the pool or inside one transaction. */
export interface SqlExecutor {
  /** Rows of a SELECT. */
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** Binds an executor to one query runner (one connection, possibly in a transaction). */
export function runnerExecutor(runner: QueryRunner): SqlExecutor {
  return {
    async rows<T>(sql: string, params: readonly unknown[] = []) {
      const result = await guard(() => runner.query(sql, [...params], true));
      return (result.records ?? []) as T[];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      const result = await guard(() => runner.query(sql, [...params], true));
      return result.affected ?? 0;
    },
  };
}

/**
 * An executor that takes a pooled connection per statement. With SQLite, the
 * single connection is shared, so statements wait for `lock` (held by open
 * transactions) instead of running inside someone else's transaction.
 */
export function poolExecutor(dataSource: DataSource, lock?: Lock): SqlExecutor {
  const withRunner = async <T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T> => {
    const runner = dataSource.createQueryRunner();
    try {
      return await work(runnerExecutor(runner));
    } finally {
      await runner.release();
    }
  };
  const run = <T>(work: (executor: SqlExecutor) => Promise<T>) =>
    lock ? lock.runExclusive(() => withRunner(work)) : withRunner(work);
  return {
    rows: (sql, params) => run((e) => e.rows(sql, params)),
    run: (sql, params) => run((e) => e.run(sql, params)),
  };
}

/** Serializes async work. */
export interface Lock {
  runExclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Whether some work holds the lock. */
  readonly busy: boolean;
  /** Work waiting for the lock. */
  readonly waiting: number;
}

/** A FIFO async mutex. */
export function createLock(): Lock {
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  return {
    runExclusive<T>(work: () => Promise<T>): Promise<T> {
      queued++;
      const result = tail.then(work, work);
      tail = result.catch(() => undefined).finally(() => queued--);
      return result;
    },
    get busy() {
      return queued > 0;
    },
    get waiting() {
      return Math.max(0, queued - 1);
    },
  };
}

async function guard<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    throw isUnavailableError(error) ? unavailable(error) : error;
  }
}
