import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testApiKey } from "./test-credentials.js";

const entry = fileURLToPath(new URL("../../src/cli/sessionctl.ts", import.meta.url));

/** How a sessionctl run ended. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs sessionctl as an operator would, in its own process, against the
 * server (with the all-permissions test key unless `env` says otherwise);
 * `onStdout` and `onStderr` see its output as it comes.
 */
export function sessionctl(
  server: { port: number },
  args: string[],
  options: {
    env?: Record<string, string>;
    onStdout?: (text: string, child: ChildProcess) => void;
    onStderr?: (text: string, child: ChildProcess) => void;
  } = {},
): Promise<Run> {
  const env = { ...process.env, SESSIONCTL_ADDRESS: `127.0.0.1:${server.port}`, SESSIONCTL_KEY: testApiKey, ...options.env };
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    options.onStdout?.(stdout, child);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The non-empty lines of an output. */
export const lines = (text: string) => text.split("\n").filter((line) => line !== "");

/** An output of JSON lines, parsed. */
export const jsonLines = (text: string) => lines(text).map((line) => JSON.parse(line) as Record<string, unknown>);
