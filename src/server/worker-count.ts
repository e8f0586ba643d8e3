import { availableParallelism } from "node:os";

// More processes than this on one machine only add context switches.
const maxWorkers = 256;

/**
 * The number of serving processes `--workers` asks for: a whole number from
 * 1, or `auto` for the cores this process may use; an error message
 * otherwise. More than one needs a database several processes can share
 * safely: SQLite's single-writer file lock is not (its transactions would
 * fail with SQLITE_BUSY when the sweepers and notifiers of several processes
 * claim the same rows), so it is refused there.
 */
export function workerCount(text: string, database: "sqlite" | "mysql", cores = availableParallelism()): number | string {
  const value = text.trim().toLowerCase();
  const count = value === "auto" ? cores : /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(count) || count < 1) return `expected a number of at least 1, or auto, got "${text}"`;
  if (count > maxWorkers) return `must be at most ${maxWorkers}`;
  if (count > 1 && database === "sqlite") {
    return `${count} workers need MySQL or MariaDB: SQLite allows one writer at a time, and the workers' sweepers and notifiers would fail on each other's locks; use --workers 1 with SQLite`;
  }
  return count;
}
