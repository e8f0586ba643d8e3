import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import mysql from "mysql2/promise";

// Checks that the benchmark harness runs end to end (npm run bench -- --quick);
// asserts nothing about timings. Needs MariaDB/MySQL like the other MySQL suites.
const serverUrl = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/";
const suite = fileURLToPath(new URL("./suite.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
const out = mkdtempSync(join(tmpdir(), "sm-bench-quick-"));
after(() => rmSync(out, { recursive: true, force: true }));

async function mysqlAnswers(): Promise<boolean> {
  const url = new URL(serverUrl);
  try {
    const c = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || "root", password: decodeURIComponent(url.password), connectTimeout: 2000 });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const scenarioIds = [
  ...["firstPage", "nextPage90", "priorPage50", "subject", "sessionId", "displayNameSelective", "displayNameBroad", "clientPopular", "clientRare", "removeSessions", "mixed"],
  // The identity provider's calls.
  ...["createSession", "updateSession", "getSession", "storeGrant", "getGrant", "consumeGrant", "removeGrantsBySession"],
];

test("npm run bench -- --quick prints a table and writes a JSON report with every scenario", { timeout: 300_000 }, async (t) => {
  const required = process.env.CI === "true" || process.env.TEST_MYSQL_URL !== undefined;
  if (!required && !(await mysqlAnswers())) return t.skip(`no MySQL at ${serverUrl}`);
  const child = spawn(process.execPath, ["--import", tsx, suite, "--quick", "--mysql-url", serverUrl, "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  assert.equal(code, 0, stderr);
  assert.match(stdout, /\| scenario \| conc \| req\/s \|/);
  const files = readdirSync(out).filter((f) => f.endsWith(".json"));
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith(".md")), [files[0]!.replace(/\.json$/, ".md")], "the Markdown tables next to the JSON");
  assert.equal(files.length, 1);
  const report = JSON.parse(readFileSync(join(out, files[0]!), "utf8"));
  for (const key of ["os", "cpus", "memoryGiB", "node", "database", "command"]) assert.ok(report.machine[key] !== undefined, key);
  for (const id of scenarioIds) {
    for (const target of ["service", "floor"]) {
      const runs = report.runs.filter((r: { scenario: string; target: string }) => r.scenario === id && r.target === target);
      assert.equal(runs.length, 2, `${id} ${target}: one run per concurrency`);
      for (const r of runs) {
        assert.ok(r.result && r.result.requests > 0 && r.result.errors === 0, `${id} ${target} ×${r.concurrency}: ${JSON.stringify(r.result?.errorSamples)}`);
        assert.ok(r.cpuMsPerRequest.client > 0, `${id} ${target}: the client's CPU time per request`);
        if (target === "service") assert.ok(r.cpuMsPerRequest.server > 0, `${id}: the server's CPU time per request`);
      }
    }
  }
  const runsOf = (id: string, target: string) => report.runs.filter((r: { scenario: string; target: string }) => r.scenario === id && r.target === target);
  // The empty call is the service's alone.
  assert.ok(runsOf("emptyRpc", "service").every((r: { result?: { requests: number; errors: number } }) => r.result!.requests > 0 && r.result!.errors === 0));
  assert.ok(runsOf("emptyRpc", "floor").every((r: { skipped?: string }) => r.skipped !== undefined));
  // Duende's strategy runs at the lowest concurrency only, by default.
  const duende = runsOf("subject", "duende");
  assert.deepEqual(duende.map((r: { concurrency: number; result?: unknown }) => [r.concurrency, r.result !== undefined]), [[1, true], [2, false]]);
  // The targets are checked on the run's own figures (those it has: one size, no ×8).
  const checked = report.targets.map((t: { target: string }) => t.target.split(":")[0]);
  for (const kind of ["depth independence", "against Duende", "memory"]) assert.ok(checked.includes(kind), kind);
  assert.match(stdout, /### Targets: \d+ of \d+ met/);
  // The throwaway database is gone.
  for (const dataset of report.datasets) assert.equal(dataset.dropped, true);
});
