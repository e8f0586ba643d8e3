import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource } from "typeorm";
import { retryConflicts } from "./retry-conflicts.js";

/** How long to wait for the lock, and how long a holder that stopped renewing keeps it. */
export interface ClusterLockOptions {
  waitMs: number;
  leaseSeconds: number;
}

// Not a migration's table: the lock guards the migrations themselves.
const table = "service_locks";

/**
 * Runs `work` while holding the lock `name`, exclusive across every instance
 * on this database, also on a multi-primary cluster (Galera, Group
 * Replication) where GET_LOCK and row locks only exclude sessions on the same
 * node. The lock is a row holding a lease: taking it writes the row, and two
 * nodes writing one row at once conflict at commit, so exactly one of them
 * wins; the holder renews the lease while `work` runs and deletes the row at
 * the end. A holder that dies loses the lock when its lease runs out. The
 * table is created here with CREATE TABLE IF NOT EXISTS, which Galera and
 * Group Replication replicate to every node. Once the lock is taken, every
 * write committed before the previous holder released it is visible: a
 * cluster applies writes in their commit order, and the release came last.
 * Throws if the lock cannot be had within `waitMs`.
 */
export async function withClusterLock<T>(dataSource: DataSource, name: string, options: ClusterLockOptions, work: () => Promise<T>): Promise<T> {
  await dataSource.query(
    `CREATE TABLE IF NOT EXISTS ${table} (name VARCHAR(64) NOT NULL PRIMARY KEY, holder VARCHAR(64) NOT NULL, expires_at DATETIME(3) NOT NULL) ENGINE=InnoDB`,
  );
  const holder = randomBytes(16).toString("hex");
  const deadline = Date.now() + options.waitMs;
  for (let pause = 50; !(await tryTake(dataSource, name, holder, options.leaseSeconds)); pause = Math.min(pause * 2, 1000)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the ${name} lock held by another instance`);
    await sleep(pause * (0.5 + Math.random() / 2));
  }
  // Renewed on the pool, never on a connection that `work` may have in a transaction.
  const renewal = setInterval(() => {
    dataSource
      .query(`UPDATE ${table} SET expires_at = NOW(3) + INTERVAL ? SECOND WHERE name = ? AND holder = ?`, [options.leaseSeconds, name, holder])
      .catch(() => undefined);
  }, (options.leaseSeconds * 1000) / 4);
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await retryConflicts(() => dataSource.query(`DELETE FROM ${table} WHERE name = ? AND holder = ?`, [name, holder])).catch(() => undefined);
  }
}

// Inserts the lock row, or takes over a row whose lease ran out; then reads
// who holds it. MySQL assigns left to right, so `holder` is already the new
// value when the second assignment compares it.
async function tryTake(dataSource: DataSource, name: string, holder: string, leaseSeconds: number): Promise<boolean> {
  await retryConflicts(() =>
    dataSource.query(
      `INSERT INTO ${table} (name, holder, expires_at) VALUES (?, ?, NOW(3) + INTERVAL ? SECOND) ON DUPLICATE KEY UPDATE holder = IF(expires_at < NOW(3), VALUES(holder), holder), expires_at = IF(holder = VALUES(holder), VALUES(expires_at), expires_at)`,
      [name, holder, leaseSeconds],
    ),
  );
  const [row] = (await dataSource.query(`SELECT holder FROM ${table} WHERE name = ?`, [name])) as { holder: unknown }[];
  return row !== undefined && String(row.holder) === holder;
}
