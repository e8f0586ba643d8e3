import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { startCommandArgs } from "../../support/start-command.js";
import { testApiKeysFile } from "../../support/test-credentials.js";


/** The server started as `npm start` starts it, as a child process on one dataset. */
export interface BenchServer {
  readonly pid: number;
  readonly port: number;
  /** Starts sampling the process's resident set size; the returned function stops and reports. */
  sampleRss(intervalMs?: number): () => RssSummary;
  stop(): Promise<void>;
}

/** Resident set size over a run, in MiB. */
export interface RssSummary {
  peakMiB: number;
  meanMiB: number;
}

/**
 * Starts the server with the test API keys, a known page-token secret, no
 * sweeper and no notifier (the benchmark must not change the data behind the
 * scenarios' backs, nor post logout notifications to example.com), and
 * waits until it listens. Only the last lines of its log are kept.
 */
export async function startBenchServer(options: {
  databaseUrl: string;
  pageTokenSecret: string;
  poolSize: number;
  logLevel: string;
  migrate: boolean;
  /** Writes a V8 CPU profile into this folder when the server stops. */
  cpuProfDir?: string;
  /** Serving processes (--workers); 1 by default. */
  workers?: number;
  /** The server's --http2-adapter; its default when undefined. */
  http2Adapter?: string;
}): Promise<BenchServer> {
  const workers = options.workers ?? 1;
  const profile = options.cpuProfDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...startCommandArgs()], {
    env: {
      PATH: process.env.PATH,
      API_KEYS_FILE: testApiKeysFile(),
      DATABASE_URL: options.databaseUrl,
      PAGE_TOKEN_SECRET: options.pageTokenSecret,
      PORT: "0",
      HTTP_PORT: "0",
      DB_POOL_SIZE: String(options.poolSize),
      LOG_LEVEL: options.logLevel,
      MIGRATE: String(options.migrate),
      SWEEPER: "false",
      NOTIFIER: "false",
      WORKERS: String(workers),
      ...(options.http2Adapter === undefined ? {} : { HTTP2_ADAPTER: options.http2Adapter }),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let tail = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let found = false;
    child.stderr!.on("data", (chunk: Buffer) => {
      tail = (tail + chunk.toString("utf8")).slice(-20_000);
      if (found) return;
      // Every worker says so once it listens.
      const lines = tail.split("\n").filter((l) => l.includes('"listening') && l.includes('"port"'));
      if (lines.length >= workers) {
        found = true;
        resolve(JSON.parse(lines[0]!).port);
      }
    });
    void exited.then((code) => reject(new Error(`the server exited with ${code} before listening:\n${tail}`)));
  });
  const pid = child.pid!;
  return {
    pid,
    port,
    sampleRss(intervalMs = 200) {
      const samples: number[] = [];
      const take = () => {
        const kib = readRssKiB(pid);
        if (kib !== undefined) samples.push(kib / 1024);
      };
      take();
      const timer = setInterval(take, intervalMs);
      return () => {
        clearInterval(timer);
        take();
        return {
          peakMiB: Math.max(...samples),
          meanMiB: samples.reduce((a, b) => a + b, 0) / samples.length,
        };
      };
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** VmRSS of a process from /proc (Linux), in KiB. */
export function readRssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
