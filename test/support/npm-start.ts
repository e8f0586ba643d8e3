import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** `npm start -- <args>` in the project folder: the process tree operators get (npm, and node under it). */
export interface NpmStart {
  /** The npm process, leader of its own process group. */
  readonly npm: ChildProcess;
  /** Resolves with npm's exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** The server's node process, once it logged that it listens. */
  readonly serverPid: Promise<number>;
  /** The gRPC port, once the server logged that it listens. */
  readonly port: Promise<number>;
  /** Everything written to stderr so far (the server's JSON log lines). */
  logs(): string;
  /** Sends a signal to every process of the tree (as Ctrl-C in a terminal does). */
  signalGroup(signal: NodeJS.Signals): void;
}

/** Runs `npm start -- <args>` with this environment (on top of PATH and HOME). */
export function npmStart(args: string[], env: NodeJS.ProcessEnv): NpmStart {
  const npm = spawn("npm", ["start", "--", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
  let stderr = "";
  npm.stderr!.on("data", (chunk) => (stderr += chunk));
  const port = (async () => {
    for (;;) {
      const line = stderr.split("\n").find((l) => l.includes('"listening'));
      if (line !== undefined) return JSON.parse(line).port as number;
      if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode} before the server listened:\n${stderr}`);
      await sleep(50);
    }
  })();
  const serverPid = port.then(() => {
    const pid = descendants(npm.pid!).find((p) => commandLine(p).includes("serve.ts"));
    if (pid === undefined) throw new Error("no server process under npm");
    return pid;
  });
  port.catch(() => undefined);
  serverPid.catch(() => undefined);
  return { npm, exited, serverPid, port, logs: () => stderr, signalGroup: (signal) => process.kill(-npm.pid!, signal) };
}

/** Whether the process still runs (a zombie, ended but not yet reaped, does not). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Waits until the process has ended; returns how long that took, or fails after `timeoutMs`. */
export async function ended(pid: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (isRunning(pid)) {
    if (Date.now() - started > timeoutMs) throw new Error(`process ${pid} still runs after ${timeoutMs} ms`);
    await sleep(50);
  }
  return Date.now() - started;
}

function descendants(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number)) {
        found.push(child, ...descendants(child));
      }
    }
  } catch {
    // The process ended meanwhile.
  }
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}
