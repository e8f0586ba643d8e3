import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { callError, grpc, sessionManagementClient } from "../support/grpc-client.js";
import { startCommandArgs } from "../support/start-command.js";

/** Runs `npm start`'s entry point as a child process in `cwd`. */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [...startCommandArgs(), ...args], {
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

/** Waits for the admin key printed on stdout. */
async function printedKey(run: ReturnType<typeof start>): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const match = /^ {4}(smk_[\w-]{43})$/m.exec(run.output().stdout);
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no admin key printed:\n${run.output().stdout}`);
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

  it("should start with no configuration on SQLite under ./data, print a generated admin key once, serve calls with it, and stop cleanly on SIGTERM", async () => {
    const cwd = tempDir();
    const run = start(["--port", "0", "--http-port", "0"], cwd);
    children.push(run.child);
    const port = await listeningPort(run);
    assert.ok(existsSync(join(cwd, "data", "sessions.db")));
    const key = await printedKey(run);
    assert.ok(!run.output().stderr.includes(key), "the key must not reach the log");

    const client = sessionManagementClient(port, { bearer: key });
    const response = await client.querySessions({});
    assert.equal(response.total_count, 0);
    client.close();
    const anonymous = sessionManagementClient(port, { bearer: null });
    assert.equal((await callError(anonymous.querySessions({}))).code, grpc.status.UNAUTHENTICATED);
    anonymous.close();
    run.child.kill("SIGTERM");
    assert.equal(await run.exited, 0);
    const logs = run.output().stderr;
    assert.match(logs, /"host":"127.0.0.1"/);
    assert.match(logs, /"msg":"stopped"/);

    // The next start keeps the key (only its hash is stored) and prints nothing.
    const again = start(["--port", "0", "--http-port", "0"], cwd);
    children.push(again.child);
    const portAgain = await listeningPort(again);
    const sameKey = sessionManagementClient(portAgain, { bearer: key });
    assert.equal((await sameKey.querySessions({})).total_count, 0);
    sameKey.close();
    assert.doesNotMatch(again.output().stdout, /smk_/);
    again.child.kill("SIGTERM");
    assert.equal(await again.exited, 0);
  });

  it("should refuse to listen beyond loopback without credentials, saying how to fix it", async () => {
    const run = start(["--host", "0.0.0.0", "--port", "0", "--http-port", "0"], tempDir());
    children.push(run.child);
    assert.equal(await run.exited, 1);
    assert.match(run.output().stderr, /refusing to listen on 0\.0\.0\.0 without credentials: configure --api-keys-file/);
    assert.doesNotMatch(run.output().stdout, /smk_/);
  });

  it("should refuse to start when an API key is given sessions.self, which needs a subject only JWTs carry", async () => {
    const cwd = tempDir();
    const digest = "ab".repeat(32);
    writeFileSync(join(cwd, "keys.yaml"), `keys:\n  - id: portal\n    sha256: ${digest}\n    permissions: [sessions.self]\n`);
    const run = start(["--api-keys-file", "keys.yaml", "--port", "0", "--http-port", "0"], cwd);
    children.push(run.child);
    assert.equal(await run.exited, 1);
    assert.match(run.output().stderr, /--api-keys-file \(API_KEYS_FILE\): keys\.yaml: keys\[0\]\.permissions\[0\]: an API key cannot hold sessions\.self/);
    assert.doesNotMatch(run.output().stderr, /"listening/);
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

  it("should check every configured file before opening or migrating the database", async () => {
    for (const [args, message] of [
      [["--api-keys-file", "missing/api-keys.yaml"], /--api-keys-file \(API_KEYS_FILE\): missing\/api-keys\.yaml: ENOENT/],
      [["--clients", "missing/clients.yaml"], /--clients \(CLIENTS_FILE\): clients file missing\/clients\.yaml: cannot be read/],
      [["--tls-cert-file", "missing/cert.pem", "--tls-key-file", "missing/key.pem"], /TLS: cannot read the TLS certificate missing\/cert\.pem/],
      [["--signing-key-files", "missing/key.pem"], /--signing-key-files \(SIGNING_KEY_FILES\): signing key file missing\/key\.pem/],
    ] as const) {
      const cwd = tempDir();
      const run = start(["--port", "0", "--http-port", "0", ...args], cwd);
      assert.equal(await run.exited, 1, args.join(" "));
      assert.match(run.output().stderr, message);
      assert.match(run.output().stderr, /cannot start: a configured file is missing or invalid/);
      assert.ok(!existsSync(join(cwd, "data")), `${args.join(" ")}: no database was created`);
    }
  });

  it("should fail clearly when the database cannot be reached", async () => {
    const run = start(["--port", "0"], tempDir(), { DATABASE_URL: "mysql://root@127.0.0.1:1/nowhere", DB_CONNECT_TIMEOUT_MS: "1000" });
    assert.equal(await run.exited, 1);
    assert.match(run.output().stderr, /cannot open the database/);
  });
});
