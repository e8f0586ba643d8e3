import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The service, started as `npm start` starts it, in a child process. */
export interface ServiceProcess {
  child: ChildProcess;
  /** The gRPC (h2c) port. */
  port: number;
  /** The HTTP/1.1 port (admin page, JWKS, probes). */
  httpPort: number;
  stop(): Promise<void>;
}

const root = new URL("../../../../", import.meta.url);

/**
 * Starts the service with these arguments, its JSON log going to `logFile`,
 * and resolves once it listens on both ports.
 */
export async function startServiceProcess(args: string[], logFile: string): Promise<ServiceProcess> {
  const script: string = JSON.parse(readFileSync(new URL("package.json", root), "utf8")).scripts.start;
  const nodeArgs = script
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((arg, i, all) => (all[i - 1] === "--import" && arg === "tsx" ? import.meta.resolve("tsx") : arg.endsWith(".ts") ? fileURLToPath(new URL(arg, root)) : arg));
  const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { PATH: process.env.PATH } });
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
