import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import mysql from "mysql2/promise";
import { commandText, isRunnable, missingLine, readBlocks, type Block } from "./readme-blocks.js";

// Runs every command block of README.md verbatim, in order, in a directory of
// its own (so ./data/ is private), against the demo it starts, and checks the
// output the README shows. A README example that stops working fails here.

const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = readBlocks(readme);
// The README's examples use the default ports, as a newcomer's demo does.
const ports = [50051, 50052, 3000, 3001];
const readyUrl = "http://127.0.0.1:50052/readyz";
const mysqlUrl = "mysql://root@127.0.0.1:3306/";
// At most this many blocks may be skipped: installing and the test suite itself.
const maxSkipped = 3;

describe("README.md", () => {
  it("should mark only a few blocks as skipped, and show the output of the important ones", () => {
    const skipped = blocks.filter((b) => b.directive?.skip !== undefined);
    assert.ok(skipped.length <= maxSkipped, `skipped: ${skipped.map((b) => `line ${b.line} (${summary(b)})`).join(", ")}`);
    assert.ok(blocks.filter((b) => b.expected !== undefined).length >= 6, "the tour shows what its commands print");
    assert.ok(blocks.some((b) => b.directive?.server === true), "the README starts the service");
  });

  it("should pass every block of the README, run verbatim against a demo started from scratch", { timeout: 300_000 }, async (t) => {
    const required = process.env.CI === "true";
    // Outside CI a developer's own demo may hold the ports: say so rather than fail.
    const busy = (await Promise.all(ports.map(inUse))).some(Boolean);
    const portsMessage = `ports ${ports.join(" and ")} must be free: the README's examples use them (stop the server that holds them)`;
    if (busy && !required) return t.skip(portsMessage);
    assert.ok(!busy, portsMessage);
    const mariadb = await mysqlReachable();
    assert.ok(mariadb || !required, `MariaDB at ${mysqlUrl} is required under CI=true`);
    const databases = [...readme.matchAll(/CREATE DATABASE (\w+)/g)].map((m) => m[1]!);
    if (mariadb) {
      for (const name of databases) assert.equal(await databaseExists(name), false, `database ${name} exists already: the README creates it (drop it first)`);
    }

    const dir = mkdtempSync(join(tmpdir(), "sm-readme-"));
    for (const entry of ["package.json", "package-lock.json", "tsconfig.json", "buf.yaml", "src", "gen", "proto", "node_modules"]) symlinkSync(join(root, entry), join(dir, entry));
    const servers: Server[] = [];
    const counts = { run: 0, checked: 0, skipped: 0, other: 0 };
    const timings: string[] = [];
    try {
      for (const [index, block] of blocks.entries()) {
        const started = performance.now();
        const took = () => timings.push(`${block.line}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        if (!isRunnable(block)) {
          counts.other++;
          continue;
        }
        const skip = block.directive?.skip ?? (block.directive?.needsMariadb && !mariadb ? `no MariaDB at ${mysqlUrl}` : undefined);
        if (skip !== undefined) {
          counts.skipped++;
          t.diagnostic(`skipped line ${block.line} (${summary(block)}): ${skip}`);
          continue;
        }
        if (block.directive?.server === true) {
          // One server at a time, as the README stops one before starting the
          // next, unless it says this one runs alongside.
          if (block.directive.alongside !== true) for (const server of servers.splice(0)) await server.stop();
          const server = startServer(dir, index, block);
          servers.push(server);
          await server.ready();
          if (block.expected !== undefined) {
            const missing = missingLine(block.expected, server.output());
            assert.equal(missing, undefined, `line ${block.line}: the server did not print "${missing}":\n${server.output()}`);
            counts.checked++;
          }
          counts.run++;
          took();
          continue;
        }
        const { code, output } = await runBlock(dir, index, block);
        const where = `README.md line ${block.line} (${summary(block)})`;
        assert.equal(code, 0, `${where} failed with exit code ${code}:\n${block.text}\n--- output ---\n${output}${serverLogs(servers)}`);
        if (block.expected !== undefined) {
          const missing = missingLine(block.expected, output);
          assert.equal(missing, undefined, `${where} did not print "${missing}":\n--- output ---\n${output}`);
          counts.checked++;
        }
        counts.run++;
        took();
      }
    } finally {
      const stopping = performance.now();
      for (const server of servers) await server.stop();
      timings.push(`stop: ${((performance.now() - stopping) / 1000).toFixed(1)} s`);
      if (mariadb) await dropDatabases(databases);
      rmSync(dir, { recursive: true, force: true });
    }
    t.diagnostic(`time per block, by README line: ${timings.join(", ")}`);
    t.diagnostic(`${counts.run} blocks run, ${counts.checked} outputs checked, ${counts.skipped} skipped, ${counts.other} not commands (code in other languages, files, output)`);
    assert.ok(counts.run >= 15, `only ${counts.run} blocks ran`);
  });
});

function summary(block: Block): string {
  return block.text.split("\n").find((l) => l.trim() !== "" && !l.startsWith("#"))?.slice(0, 60) ?? block.language;
}

// A clean environment: nothing of the developer's own configuration reaches the commands.
function environment(): NodeJS.ProcessEnv {
  return {
    PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
    HOME: process.env.HOME,
    LANG: "C.UTF-8",
    TMPDIR: process.env.TMPDIR,
    CI: process.env.CI,
  };
}

// The block as a script of its own: it sees the variables earlier blocks exported, and exports its own to later ones.
function script(dir: string, index: number, block: Block, background: boolean): string {
  const state = join(dir, ".readme-test-state");
  const body = block.language === "ts" ? `node --import tsx ${join(dir, `readme-example-${index}.ts`)}` : commandText(block);
  if (block.language === "ts") writeFileSync(join(dir, `readme-example-${index}.ts`), `${block.text}\n`);
  const path = join(dir, `.readme-block-${index}.sh`);
  writeFileSync(
    path,
    ["set -eo pipefail", "exec 2>&1", `cd ${dir}`, `[ -f ${state} ] && source ${state}`, body, background ? "" : `export -p > ${state}`, ""].join("\n"),
  );
  return path;
}

async function runBlock(dir: string, index: number, block: Block): Promise<{ code: number | null; output: string }> {
  const child = spawn("bash", [script(dir, index, block, false)], { cwd: dir, env: environment(), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return { code, output };
}

interface Server {
  ready(): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

// A block that starts a server runs in its own process group, so that stopping
// it reaches every process it started, whatever forwards signals.
function startServer(dir: string, index: number, block: Block): Server {
  const child: ChildProcess = spawn("bash", [script(dir, index, block, true)], { cwd: dir, env: environment(), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
      return true;
    } catch {
      return false;
    }
  };
  return {
    output: () => output,
    async ready() {
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (!running) throw new Error(`README.md line ${block.line}: the server exited before it was ready:\n${output}`);
        if (block.expected !== undefined) {
          if (missingLine(block.expected, output) === undefined) return;
        } else if ((await fetch(readyUrl).then((r) => r.status, () => 0)) === 200) return;
        if (Date.now() > deadline) throw new Error(`README.md line ${block.line}: the server was not ready in time:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async stop() {
      group("SIGTERM");
      const deadline = Date.now() + 30_000;
      // The group is gone when signalling it fails.
      while (group(0 as unknown as NodeJS.Signals) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      group("SIGKILL");
      await exited;
    },
  };
}

function serverLogs(servers: Server[]): string {
  return servers.map((s) => `\n--- server output ---\n${s.output().slice(-4000)}`).join("");
}

function inUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function mysqlReachable(): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ uri: mysqlUrl, connectTimeout: 3000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const connection = await mysql.createConnection({ uri: mysqlUrl });
  try {
    const [rows] = await connection.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?", [name]);
    return (rows as unknown[]).length > 0;
  } finally {
    await connection.end();
  }
}

// The databases the README created (checked absent before the run).
async function dropDatabases(names: string[]): Promise<void> {
  const connection = await mysql.createConnection({ uri: mysqlUrl });
  try {
    for (const name of names) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}
