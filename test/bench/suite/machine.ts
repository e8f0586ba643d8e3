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
  command: string;
  startedAt: string;
}

/** Describes this machine, the database server behind `pool`, and the command line. */
export async function describeMachine(pool: Pool, argv: readonly string[]): Promise<MachineDescription> {
  const [rows] = (await pool.query("SELECT VERSION() AS v")) as unknown as [{ v: string }[]];
  return {
    os: `${os.type()} ${os.machine()}`,
    kernel: os.release(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    database: rows[0]?.v ?? "unknown",
    command: ["npm run bench --", ...argv].join(" "),
    startedAt: new Date().toISOString(),
  };
}
