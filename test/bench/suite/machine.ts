import os from "node:os";
import type { Pool } from "mysql2/promise";

/** What the figures were measured on. */
export interface MachineDescription {
  os: string;
  kernel: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  database: string;
  /** InnoDB's buffer pool (MiB): how much of a dataset the database keeps in memory. */
  bufferPoolMiB?: number;
  command: string;
  startedAt: string;
}

/** Describes this machine, the database server behind `pool`, and the command line. */
export async function describeMachine(pool: Pool, argv: readonly string[]): Promise<MachineDescription> {
  const [rows] = (await pool.query("SELECT VERSION() AS v, @@innodb_buffer_pool_size AS pool")) as unknown as [{ v: string; pool: unknown }[]];
  return {
    os: `${os.type()} ${os.machine()}`,
    kernel: os.release(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    database: rows[0]?.v ?? "unknown",
    bufferPoolMiB: rows[0]?.pool === undefined ? undefined : Math.round(Number(rows[0].pool) / 2 ** 20),
    command: ["npm run bench --", ...argv].join(" "),
    startedAt: new Date().toISOString(),
  };
}
