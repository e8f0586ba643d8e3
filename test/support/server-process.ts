import { spawn, type ChildProcess } from "node:child_process";
import { testApiKeysFile } from "./test-credentials.js";
import { startCommandArgs } from "./start-command.js";


/** `npm start`'s entry point running as a child process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** The gRPC port, once the server logged that it listens. */
  readonly port: Promise<number>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Everything the process wrote to stderr (its JSON log lines) so far. */
  logs(): string;
}

/**
 * Starts the server as a child process with this environment (on top of PATH
 * and the test API keys, see test-credentials.ts) and arguments.
 */
export function startServerProcess(env: NodeJS.ProcessEnv, args: string[] = []): ServerProcess {
  const child = spawn(process.execPath, [...startCommandArgs(), ...args], {
    env: { PATH: process.env.PATH, API_KEYS_FILE: testApiKeysFile(), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const port = new Promise<number>((resolve, reject) => {
    const look = () => {
      const line = stderr.split("\n").find((l) => l.includes('"listening'));
      if (line) {
        child.stderr!.off("data", look);
        resolve(JSON.parse(line).port);
      }
    };
    child.stderr!.on("data", look);
    void exited.then((code) => reject(new Error(`the server exited with ${code} before listening:\n${stderr}`)));
  });
  port.catch(() => undefined);
  return { child, port, exited, logs: () => stderr };
}
