import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grantTypes, type GrantType } from "../../src/domain/grant-types.js";
import { SessionManagement, type QuerySessionsResponse } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { testBackends } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { bearerInterceptor, permissionKeys, testApiKey } from "../support/test-credentials.js";
import { pythonToolchain } from "../support/toolchains.js";

// A Python team uses gen/python as generated, with the Debian grpcio and protobuf:
// the example client must see exactly what the TypeScript client sees.
const root = resolve(import.meta.dirname, "../..");
const script = resolve(import.meta.dirname, "python/session_client.py");
const toolchain = pythonToolchain();

/** What the Python client prints for one page of a walk. */
interface PageSummary {
  direction: "forward" | "backward";
  session_ids: string[];
  total_count: number | null;
  total_pages: number | null;
  current_page: number | null;
  has_prev: boolean;
  has_next: boolean;
}

interface Filter {
  subject?: string;
  displayName?: string;
  client?: string;
  pageSize?: number;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const subjects = ["alice", "bob", "carol"];
const displayNames = ["Alice Adams", "alice archer", "Albert Ross", "Bob Brown", "bobby tables"];
const clientSets = [["web"], ["web", "mobile"], ["cli", "web"], ["mobile"]];
const seeded = Array.from({ length: 23 }, (_, i) => ({
  subjectId: subjects[i % 3]!,
  sessionId: `py-sid-${String(i).padStart(2, "0")}`,
  displayName: displayNames[i % 5]!,
  clientIds: clientSets[i % 4]!,
}));

/** The seeded session ids a filter selects, in creation order: what every walk must return. */
function expectedIds(filter: Filter): string[] {
  return seeded
    .filter((s) => !filter.subject || s.subjectId === filter.subject)
    .filter((s) => !filter.displayName || s.displayName.toLowerCase().startsWith(filter.displayName.toLowerCase()))
    .filter((s) => !filter.client || s.clientIds.includes(filter.client))
    .map((s) => s.sessionId);
}

describe("the generated Python client against the server (sqlite)", { skip: "skip" in toolchain ? toolchain.skip : false }, () => {
  let server: TestServer;
  let client: Client<typeof SessionManagement>;

  /** Runs session_client.py with gen/python on PYTHONPATH; never rejects. */
  function python(args: string[], key = testApiKey): Promise<Run> {
    const interpreter = "python" in toolchain ? toolchain.python : "/usr/bin/python3";
    const child = spawn(interpreter, [script, "--target", `127.0.0.1:${server.port}`, "--key", key, ...args], {
      env: { ...process.env, PYTHONPATH: resolve(root, "gen/python") },
      timeout: 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((done) => child.on("close", (status) => done({ status, stdout, stderr })));
  }

  async function pythonWalk(filter: Filter): Promise<PageSummary[]> {
    const flags = [
      ...(filter.subject ? ["--subject", filter.subject] : []),
      ...(filter.displayName ? ["--display-name", filter.displayName] : []),
      ...(filter.client ? ["--client", filter.client] : []),
      ...(filter.pageSize !== undefined ? ["--page-size", String(filter.pageSize)] : []),
    ];
    const run = await python(["walk", ...flags]);
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.trim().split("\n").map((line) => JSON.parse(line) as PageSummary);
  }

  /** The same walk as session_client.py, through the generated TypeScript client. */
  async function typescriptWalk(filter: Filter): Promise<PageSummary[]> {
    const query = { subjectId: filter.subject, displayName: filter.displayName, clientId: filter.client, countRequested: filter.pageSize };
    const summary = (direction: PageSummary["direction"], page: QuerySessionsResponse): PageSummary => ({
      direction,
      session_ids: page.results.map((s) => s.sessionId),
      total_count: page.totalCount ?? null,
      total_pages: page.totalPages ?? null,
      current_page: page.currentPage ?? null,
      has_prev: page.hasPrevResults,
      has_next: page.hasNextResults,
    });
    let page = await client.querySessions(query);
    const pages = [summary("forward", page)];
    while (page.hasNextResults) {
      page = await client.querySessions({ ...query, resultsToken: page.resultsToken });
      pages.push(summary("forward", page));
    }
    while (page.hasPrevResults) {
      page = await client.querySessions({ ...query, resultsToken: page.resultsToken, requestPriorResults: true });
      pages.push(summary("backward", page));
    }
    return pages;
  }

  const sessionIdsOf = async (subjectId: string) => (await client.querySessions({ subjectId })).results.map((s) => s.sessionId);
  const grantsOf = async (subjectId: string, type: GrantType) =>
    (await server.db.stores.grants.findAll({ subjectId, types: [type] })).map((g) => g.sessionId ?? g.clientId).sort();

  /** Sessions of one subject, each with a refresh token bound to it, and the subject's consent to "web". */
  async function seedSubject(subjectId: string, count: number): Promise<string[]> {
    const sessions = Array.from({ length: count }, (_, i) => ({ subjectId, sessionId: `${subjectId}-${i + 1}`, clientIds: ["web"] }));
    await createSessions(server.db.stores, sessions);
    for (const { sessionId } of sessions) {
      await server.db.stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "web", subjectId, sessionId }));
    }
    await server.db.stores.grants.store(newGrant({ type: grantTypes.userConsent, clientId: "web", subjectId }));
    return sessions.map((s) => s.sessionId);
  }

  before(async () => {
    const sqlite = (await testBackends()).find((backend) => backend.name === "sqlite")!;
    server = await startTestServer(sqlite);
    client = createClient(SessionManagement, createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}`, interceptors: [bearerInterceptor()] }));
    await createSessions(server.db.stores, seeded);
  });
  after(async () => {
    await server?.stop();
  });

  const walks: [string, Filter][] = [
    ["every session, 5 per page", { pageSize: 5 }],
    ["one subject, 3 per page", { subject: "alice", pageSize: 3 }],
    ["a case-insensitive display name prefix, 4 per page", { displayName: "ALI", pageSize: 4 }],
    ["display name prefix and client together, 2 per page", { displayName: "al", client: "mobile", pageSize: 2 }],
    ["subject, display name prefix and client together", { subject: "alice", displayName: "al", client: "mobile", pageSize: 2 }],
    ["the server's default page size", {}],
  ];
  for (const [name, filter] of walks) {
    it(`should walk the same pages forward and back as the TypeScript client: ${name}`, async () => {
      const [fromPython, fromTypescript] = await Promise.all([pythonWalk(filter), typescriptWalk(filter)]);
      assert.deepEqual(fromPython, fromTypescript);

      const ids = expectedIds(filter);
      const forward = fromPython.filter((p) => p.direction === "forward");
      const backward = fromPython.filter((p) => p.direction === "backward");
      const pageCount = Math.ceil(ids.length / (filter.pageSize || 25));
      assert.ok(ids.length > 0);
      assert.deepEqual(forward.flatMap((p) => p.session_ids), ids);
      assert.deepEqual(forward.map((p) => p.current_page), Array.from({ length: pageCount }, (_, i) => i + 1));
      assert.ok(fromPython.every((p) => p.total_count === ids.length && p.total_pages === pageCount));
      assert.deepEqual(forward.map((p) => p.has_next), [...Array(pageCount - 1).fill(true), false]);
      assert.deepEqual(forward.map((p) => p.has_prev), [false, ...Array(pageCount - 1).fill(true)]);
      // Back from the last page to the first: the same pages, in reverse.
      assert.deepEqual(backward.map((p) => p.session_ids), forward.slice(0, -1).map((p) => p.session_ids).reverse());
      assert.deepEqual(backward.map((p) => p.current_page), forward.slice(0, -1).map((p) => p.current_page).reverse());
      assert.equal(fromPython.at(-1)!.has_prev, false);
    });
  }

  it("should print one empty page with a zero total when nothing matches", async () => {
    const fromPython = await pythonWalk({ subject: "nobody" });
    assert.deepEqual(fromPython, await typescriptWalk({ subject: "nobody" }));
    assert.equal(fromPython.length, 1);
    assert.deepEqual(fromPython[0]!.session_ids, []);
    assert.equal(fromPython[0]!.total_count, 0);
    assert.equal(fromPython[0]!.has_next, false);
  });

  it("should remove every session of a subject, with its tokens and consents, and print the counts", async () => {
    const sids = await seedSubject("dave", 3);
    const run = await python(["remove", "--subject", "dave"]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      sessions_removed: 3,
      tokens_revoked: 3,
      consents_revoked: 1,
      notifications_queued: 0,
      session_ids: sids,
    });
    assert.deepEqual(await sessionIdsOf("dave"), []);
    assert.deepEqual(await grantsOf("dave", grantTypes.refreshToken), []);
    assert.deepEqual(await grantsOf("dave", grantTypes.userConsent), []);
    assert.equal((await client.querySessions({})).totalCount, seeded.length);
  });

  it("should remove one session and keep the subject's consents with --keep-consents", async () => {
    const [first, second] = await seedSubject("erin", 2);
    const run = await python(["remove", "--session", first!, "--keep-consents"]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      sessions_removed: 1,
      tokens_revoked: 1,
      consents_revoked: 0,
      notifications_queued: 0,
      session_ids: [first],
    });
    assert.deepEqual(await sessionIdsOf("erin"), [second]);
    assert.deepEqual(await grantsOf("erin", grantTypes.refreshToken), [second]);
    assert.deepEqual(await grantsOf("erin", grantTypes.userConsent), ["web"]);
  });

  it("should exit 2 with UNAUTHENTICATED on stderr for a wrong key, and change nothing", async () => {
    const [sid] = await seedSubject("frank", 1);
    for (const command of [["walk"], ["remove", "--subject", "frank"]]) {
      const run = await python(command, "smk_not-a-key-the-server-knows");
      assert.equal(run.status, 2, `${command[0]}: ${run.stderr}`);
      assert.match(run.stderr, /^UNAUTHENTICATED: /);
      assert.equal(run.stdout, "");
    }
    assert.deepEqual(await sessionIdsOf("frank"), [sid]);
  });

  it("should exit 3 with PERMISSION_DENIED when the key may only read, and change nothing", async () => {
    const [sid] = await seedSubject("grace", 1);
    const run = await python(["remove", "--subject", "grace"], permissionKeys["sessions.read"]);
    assert.equal(run.status, 3, run.stderr);
    assert.match(run.stderr, /^PERMISSION_DENIED: /);
    assert.deepEqual(await sessionIdsOf("grace"), [sid]);
  });

  it("should exit 1 with the server's INVALID_ARGUMENT when neither subject nor session is given", async () => {
    const run = await python(["remove"]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^INVALID_ARGUMENT: /);
    assert.equal(run.stdout, "");
  });
});
