import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { testBackends } from "../support/backends.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { bearerInterceptor, testApiKey } from "../support/test-credentials.js";
import { goToolchain } from "../support/toolchains.js";

const [sqlite] = await testBackends();
const genGo = fileURLToPath(new URL("../../gen/go", import.meta.url));
const clientDir = fileURLToPath(new URL("./go", import.meta.url));

/** Compiling gRPC-Go from source on a small CI machine takes a while the first time. */
const buildTimeoutMs = 600_000;

/** What a finished process left behind. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr: error !== null && code === -1 ? `${stderr}${error.message}` : stderr });
    });
  });
}

describe("the generated Go client (gen/go) with Debian's Go toolchain, offline", () => {
  const toolchain = goToolchain();
  const skip = "skip" in toolchain ? toolchain.skip : false;
  const go = "go" in toolchain ? toolchain.go : "";

  let workspace: string;
  let goEnv: NodeJS.ProcessEnv;
  let server: TestServer;
  let built: Promise<string> | undefined;

  /**
   * GOPATH mode, as a team without module proxy access builds it: the
   * Debian gRPC/protobuf sources come from /usr/share/gocode, gen/go is
   * copied to where its go_package import path points (the go command does
   * not follow symlinks when matching `...`), and nothing is downloaded.
   */
  before(() => {
    if (skip) return;
    workspace = mkdtempSync(join(tmpdir(), "sm-go-client-"));
    mkdirSync(join(workspace, "src", "sessionmanagement", "gen"), { recursive: true });
    cpSync(genGo, join(workspace, "src", "sessionmanagement", "gen", "go"), { recursive: true });
    goEnv = {
      PATH: "/usr/bin:/bin",
      HOME: workspace,
      GO111MODULE: "off",
      GOPATH: `${workspace}:/usr/share/gocode`,
      GOFLAGS: "",
      GOPROXY: "off",
      GOCACHE: join(workspace, "cache"),
      // Pure Go: no C compiler needed, and gRPC-Go does not use cgo.
      CGO_ENABLED: "0",
    };
  });

  before(async () => {
    if (skip) return;
    server = await startTestServer(sqlite!);
  });

  after(async () => {
    await server?.stop();
    if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
  });

  /** Builds test/clients/go once (offline); later calls reuse the binary. */
  function buildClient(): Promise<string> {
    built ??= (async () => {
      const binary = join(workspace, "bin", "go-client");
      const result = await run(go, ["build", "-o", binary, "."], { cwd: clientDir, env: goEnv, timeoutMs: buildTimeoutMs });
      assert.equal(result.code, 0, `go build of test/clients/go failed:\n${result.stderr}`);
      return binary;
    })();
    return built;
  }

  /** Runs the client against the test server; `env` replaces the environment (SM_KEY carries the key). */
  async function runClient(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
    const binary = await buildClient();
    return run(binary, ["-addr", `127.0.0.1:${server.port}`, ...args], { env: { PATH: "/usr/bin:/bin", ...env }, timeoutMs: 60_000 });
  }

  /** Every page of one subject's sessions, as the generated TypeScript client walks them. */
  async function sessionIdsSeenByTypeScript(subjectId: string, countRequested: number): Promise<{ ids: string[]; totalCount: number | undefined }> {
    const client = createClient(
      SessionManagement,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}`, interceptors: [bearerInterceptor()] }),
    );
    const ids: string[] = [];
    let totalCount: number | undefined;
    let resultsToken = "";
    for (;;) {
      const page = await client.querySessions({ subjectId, countRequested, resultsToken });
      ids.push(...page.results.map((session) => session.sessionId));
      totalCount ??= page.totalCount;
      if (!page.hasNextResults) return { ids, totalCount };
      resultsToken = page.resultsToken;
    }
  }

  it("should compile and vet every generated Go package", { skip, timeout: buildTimeoutMs }, async (t) => {
    const listed = await run(go, ["list", "sessionmanagement/gen/go/..."], { cwd: workspace, env: goEnv, timeoutMs: 60_000 });
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(listed.stdout.trim().split("\n"), ["sessionmanagement/gen/go/sessionmanagement/v1"]);
    for (const command of ["build", "vet"]) {
      const started = Date.now();
      const result = await run(go, [command, "sessionmanagement/gen/go/..."], { cwd: workspace, env: goEnv, timeoutMs: buildTimeoutMs });
      assert.equal(result.code, 0, `go ${command} of gen/go failed:\n${result.stderr}`);
      t.diagnostic(`go ${command} sessionmanagement/gen/go/... took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  });

  it("should list a subject's sessions page by page exactly as the TypeScript client sees them", { skip, timeout: buildTimeoutMs }, async () => {
    const subjectId = "go-client-alice";
    const mine = Array.from({ length: 12 }, (_, i) => ({ subjectId, sessionId: `sid-go-alice-${String(i).padStart(2, "0")}`, displayName: "Alice" }));
    const others = [
      { subjectId: "go-client-bob", sessionId: "sid-go-bob-1", displayName: "Bob" },
      { subjectId: `${subjectId}-2`, sessionId: "sid-go-alice-lookalike", displayName: "Alice Two" },
      { subjectId: "go-client-carol", sessionId: "sid-go-carol-1", displayName: "Carol" },
    ];
    // Interleaved, so that paging has to skip other subjects' sessions.
    await createSessions(server.db.stores, [others[0]!, ...mine.slice(0, 6), others[1]!, ...mine.slice(6), others[2]!]);

    const fromTypeScript = await sessionIdsSeenByTypeScript(subjectId, 5);
    assert.deepEqual(fromTypeScript.ids, mine.map((s) => s.sessionId));
    assert.equal(fromTypeScript.totalCount, 12);

    // Page size 5: three pages (5, 5, 2), following results_token twice.
    const result = await runClient(["-subject", subjectId, "-page", "5"], { SM_KEY: testApiKey });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trimEnd().split("\n"), [...fromTypeScript.ids, `total ${fromTypeScript.ids.length}`]);
  });

  it("should exit non-zero naming Unauthenticated when the key is wrong", { skip, timeout: buildTimeoutMs }, async () => {
    // The -key flag wins over SM_KEY.
    const result = await runClient(["-key", "smk_not-a-key", "-subject", "anyone"], { SM_KEY: testApiKey });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Unauthenticated/);
    assert.equal(result.stdout, "");
  });
});
