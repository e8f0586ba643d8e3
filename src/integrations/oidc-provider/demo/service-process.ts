import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { startCommandArgs } from "../../../cli/start-command.js";

/** The service, started as `npm start` starts it, in a child process. */
export interface ServiceProcess {
  child: ChildProcess;
  /** The gRPC (h2c) port. */
  port: number;
  /** The HTTP/1.1 port (admin page, JWKS, probes). */
  httpPort: number;
  stop(): Promise<void>;
}

/**
 * Starts the service with these arguments, its JSON log going to `logFile`,
 * and resolves once it listens on both ports.
 */
export async function startServiceProcess(args: string[], logFile: string): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...startCommandArgs(), ...args], { stdio: ["ignore", "ignore", "pipe"], env: { PATH: process.env.PATH } });
  const log = createWriteStream(logFile);
  child.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const ports = await new Promise<{ port: number; httpPort: number }>((resolve, reject) => {
    let text = "";
    let port: number | undefined;
    child.stderr!.on("data", (chunk) => {
      text += chunk;
      for (const line of text.split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number; httpPort?: number };
          if (entry.msg?.startsWith("listening (") && entry.port) port = entry.port;
          if (entry.msg?.startsWith("listening over HTTP/1.1") && entry.httpPort && port) resolve({ port, httpPort: entry.httpPort });
        } catch {
          // a partial line; the rest comes with the next chunk
        }
      }
    });
    void exited.then((code) => reject(new Error(`the service exited with ${code} before listening; see ${logFile}`)));
  });
  return {
    child,
    ...ports,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
