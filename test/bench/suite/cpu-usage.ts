import { readdirSync, readFileSync } from "node:fs";

/** CPU time one process spent over a measured run, in milliseconds per request. */
export interface CpuShare {
  /** The benchmark process: the gRPC client, or the floor's and Duende's mysql2 client. */
  client: number;
  /** The server process (service target only). */
  server?: number;
  /** The database server, when it runs on this machine. */
  database?: number;
}

// Linux reports utime and stime in clock ticks; USER_HZ is 100 on every
// architecture Node supports.
const ticksPerSecond = 100;

/** utime + stime of a process from /proc, in milliseconds; undefined when it cannot be read. */
export function cpuMs(pid: number | "self"): number | undefined {
  // This process's own, in microseconds rather than clock ticks: a short run's figure is not rounded to 10 ms.
  if (pid === "self") {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process and all its descendants (a server's workers), in milliseconds. */
export function treeCpuMs(pid: number): number | undefined {
  const own = cpuMs(pid);
  if (own === undefined) return undefined;
  let total = own;
  for (const child of childrenOf(pid)) total += treeCpuMs(child) ?? 0;
  return total;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
      try {
        return readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** The local MariaDB or MySQL server's process id, if one runs here and /proc shows it. */
export function findDatabasePid(): number | undefined {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const name = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
        if (name === "mariadbd" || name === "mysqld") return Number(entry);
      } catch {
        // The process ended while the list was read.
      }
    }
  } catch {
    // No /proc: not Linux.
  }
  return undefined;
}

/**
 * Reads the CPU time of the client, server and database processes at the
 * start and end of a measured run, so that the report can say which process
 * the machine's cores went to.
 */
export function cpuMeter(pids: { server?: number; database?: number }) {
  // The server's workers, when it has any, are its children.
  const read = () => ({ client: cpuMs("self"), server: pids.server && treeCpuMs(pids.server), database: pids.database && cpuMs(pids.database) });
  let before: ReturnType<typeof read> | undefined;
  let after: ReturnType<typeof read> | undefined;
  return {
    start() {
      before = read();
    },
    stop() {
      after = read();
    },
    /** Milliseconds of CPU per request over the measured run. */
    perRequest(requests: number): CpuShare | undefined {
      if (!before || !after || requests === 0) return undefined;
      const share = (key: keyof CpuShare) => {
        const a = after![key];
        const b = before![key];
        return typeof a === "number" && typeof b === "number" ? (a - b) / requests : undefined;
      };
      return { client: share("client") ?? NaN, server: share("server"), database: share("database") };
    },
  };
}
