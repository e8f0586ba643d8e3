import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import { sessionManagementClient } from "../support/grpc-client.js";

const serve = fileURLToPath(new URL("../../src/cli/serve.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");

/** Runs `npm start`'s entry point as a child process in `cwd`. */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ["--import", tsx, serve, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Waits for the "listening" log line and returns the port it names. */
async function listeningPort(run: ReturnType<typeof start>): Promise<number> {
  for (let i = 0; i < 300; i++) {
    for (const line of run.output().stderr.split("\n")) {
      if (line.includes('"listening')) return JSON.parse(line).port;
    }
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start:\n${run.output().stderr}`);
}

describe("npm start (src/cli/serve.ts)", () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "sm-serve-"));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const child of children) child.kill("SIGKILL");
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("should start with no configuration on SQLite under ./data, serve calls, and stop cleanly on SIGTERM", async () => {
    const cwd = tempDir();
    const run = start(["--port", "0"], cwd);
    children.push(run.child);
    const port = await listeningPort(run);
    assert.ok(existsSync(join(cwd, "data", "sessions.db")));
    const client = sessionManagementClient(port);
    const response = await client.querySessions({});
    assert.equal(response.total_count, 0);
    client.close();
    run.child.kill("SIGTERM");
    assert.equal(await run.exited, 0);
    const logs = run.output().stderr;
    assert.match(logs, /"host":"127.0.0.1"/);
    assert.match(logs, /"msg":"stopped"/);
  });

  it("should print every option for --help", async () => {
    const run = start(["--help"], tempDir());
    assert.equal(await run.exited, 0);
    for (const text of ["--database-url", "DATABASE_URL", "--port", "PAGE_TOKEN_SECRET", "--shutdown-grace-ms"]) {
      assert.ok(run.output().stdout.includes(text), text);
    }
  });

  it("should refuse a bad option with a message naming it and exit code 2", async () => {
    const run = start(["--port", "http"], tempDir());
    assert.equal(await run.exited, 2);
    assert.match(run.output().stderr, /--port \(PORT\)/);
  });

  it("should refuse to start on an unmigrated database when migrations are off", async () => {
    const cwd = tempDir();
    const run = start(["--port", "0", "--migrate", "false"], cwd);
    assert.equal(await run.exited, 1);
    assert.match(run.output().stderr, /schema is out of date/);
  });

  it("should fail clearly when the database cannot be reached", async () => {
    const run = start(["--port", "0"], tempDir(), { DATABASE_URL: "mysql://root@127.0.0.1:1/nowhere", DB_CONNECT_TIMEOUT_MS: "1000" });
    assert.equal(await run.exited, 1);
    assert.match(run.output().stderr, /cannot open the database/);
  });
});
