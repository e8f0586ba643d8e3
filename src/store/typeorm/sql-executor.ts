import type { QueryRunner } from "typeorm";
import type { StatementTracing } from "../statement-tracing.js";
import { deadlineExceeded, outcomeUnknown, unavailable } from "../../domain/errors.js";
import { isStatementTimeoutError, isUnavailableError } from "./driver-errors.js";
import { retryConflicts } from "./retry-conflicts.js";
import { callEnded, statementBudget, timeUp, type StatementBudget } from "./statement-budget.js";
import { runnerConnection, type Connect, type SqlConnection, type StatementResult } from "./sql-connection.js";
import { boundStatement, type Engine } from "./statement-timeout.js";

/** Runs SQL with positional `?` parameters, either on the pool or inside one transaction. */
export interface SqlExecutor {
  /** Rows of a SELECT. */
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs an INSERT; returns the auto-increment key of its (first) row. */
  insert(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** How long statements may run on one engine. */
export interface StatementLimits {
  engine: Engine;
  /** The longest any statement may run, whether or not a call's deadline is nearer. */
  maxStatementMs: number;
  /** Spans around statements, when tracing is on. */
  tracing?: StatementTracing;
}

// The database interrupts a statement itself when its budget runs out; the
// client gives it this much longer to say so before it stops waiting and
// drops the connection (a database that does not answer at all).
const answerGraceMs = 1000;

/**
 * Binds an executor to one connection (possibly in a transaction). Every
 * statement is bounded by the current call's remaining deadline and by
 * `maxStatementMs`, on the server where the engine allows
 * (statement-timeout.ts) and here: a statement still running when the call
 * ends (deadline or cancellation) or its budget is spent is abandoned, and
 * its connection dropped, so that nothing more (above all no COMMIT) is
 * ever sent on it; the server rolls its transaction back.
 */
export function connectionExecutor(connection: SqlConnection, limits: StatementLimits): SqlExecutor {
  return {
    async rows<T>(sql: string, params: readonly unknown[] = []) {
      return records<T>(await statement(connection, limits, sql, params));
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return (await statement(connection, limits, sql, params)).affected ?? 0;
    },
    async insert(sql: string, params: readonly unknown[] = []) {
      return insertedKey(await statement(connection, limits, sql, params));
    },
  };
}

// One statement on `connection`, within the current budget (see connectionExecutor).
// Module-level rather than closures: this runs for every statement.
function statement(connection: SqlConnection, limits: StatementLimits, sql: string, params: readonly unknown[]): Promise<StatementResult> {
  const budget = statementBudget(limits.maxStatementMs);
  const text = boundStatement(limits.engine, sql, budget.timeoutMs);
  if (limits.tracing === undefined) return withinBudget(guard(connection.query(text, params)), budget, connection);
  return limits.tracing.statement(sql, () => withinBudget(guard(connection.query(text, params)), budget, connection));
}

function records<T>(result: StatementResult): T[] {
  return (result.records ?? []) as T[];
}

function insertedKey(result: StatementResult): number {
  if (result.insertId === undefined) throw new Error("the database reported no key for the inserted row");
  return result.insertId;
}

/** Binds an executor to one TypeORM query runner (see connectionExecutor). */
export function runnerExecutor(runner: QueryRunner, limits: StatementLimits): SqlExecutor {
  return connectionExecutor(runnerConnection(runner), limits);
}

/**
 * An executor that takes a pooled connection per statement. With SQLite, the
 * single connection is shared, so statements wait for `lock` (held by open
 * transactions) instead of running inside someone else's transaction.
 */
export function poolExecutor(connect: Connect, limits: StatementLimits, lock?: Lock): SqlExecutor {
  const pooled = async (sql: string, params: readonly unknown[]): Promise<StatementResult> => {
    const connection = await connectWithin(connect, statementBudget(limits.maxStatementMs));
    try {
      return await statement(connection, limits, sql, params);
    } finally {
      connection.release();
    }
  };
  const one = (sql: string, params: readonly unknown[] = []) => (lock ? exclusive(lock, limits, () => pooled(sql, params)) : pooled(sql, params));
  return {
    rows: async <T>(sql: string, params?: readonly unknown[]) => records<T>(await one(sql, params)),
    // A single statement is its own transaction: a conflict rolled it back whole.
    run: async (sql, params) => (await retryConflicts(() => one(sql, params))).affected ?? 0,
    insert: async (sql, params) => insertedKey(await retryConflicts(() => one(sql, params))),
  };
}

/**
 * A pooled connection, obtained within `budget`. A connection that arrives
 * after the budget is spent goes back to the pool.
 */
export async function connectWithin(connect: Connect, budget: StatementBudget): Promise<SqlConnection> {
  const connecting = connect();
  try {
    // Whatever keeps a connection from being had, the database is unavailable.
    return await withinBudget(
      connecting.catch((error: unknown) => {
        throw unavailable(error);
      }),
      budget,
    );
  } catch (error) {
    void connecting.then(
      (connection) => connection.release(),
      () => undefined,
    );
    throw error;
  }
}

/** Runs `work` holding `lock`, giving up the wait when the current call ends. */
export function exclusive<T>(lock: Lock, limits: StatementLimits, work: () => Promise<T>): Promise<T> {
  const budget = statementBudget(limits.maxStatementMs);
  if (budget.call === undefined) return lock.runExclusive(work);
  const { signal } = budget.call;
  // A waiter whose call has ended by its turn does nothing.
  return withinBudget(lock.runExclusive(() => (signal.aborted ? Promise.reject(signal.reason) : work())), { ...budget, timeoutMs: Infinity });
}

/**
 * Settles as `pending` does, unless the call ends or the budget (plus a
 * grace for the server's own interruption to arrive) runs out first: then
 * rejects at once with deadline_exceeded (or the call's abort reason) and,
 * given a connection, drops it. `commit` marks COMMIT, whose
 * outcome is then unknown.
 */
export function withinBudget<T>(pending: Promise<T>, budget: StatementBudget, connection?: Pick<SqlConnection, "drop">, commit = false): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const abandon = (error: unknown) => {
      if (settled) return;
      settle();
      connection?.drop();
      reject(commit ? (isDeadline(error) ? deadlineExceeded(timeUp.commit) : outcomeUnknown(error)) : error);
    };
    const signal = budget.call?.signal;
    const onAbort = () => abandon(callEnded(budget.call!));
    const timer =
      budget.timeoutMs === Infinity
        ? undefined
        : setTimeout(() => abandon(deadlineExceeded(budget.byCall ? timeUp.call : timeUp.statement)), budget.timeoutMs + answerGraceMs);
    pending.then(
      (value) => {
        if (settled) return;
        settle();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settle();
        reject(isStatementTimeoutError(error) ? deadlineExceeded(budget.byCall ? timeUp.call : timeUp.statement, error) : error);
      },
    );
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function isDeadline(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "deadline_exceeded" || (error as { code?: unknown } | null)?.code === 4;
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

function guard<T>(pending: Promise<T>): Promise<T> {
  return pending.catch((error: unknown) => {
    throw isUnavailableError(error) ? unavailable(error) : error;
  });
}
