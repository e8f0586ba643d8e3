import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { jsonLines, lines, sessionctl as run } from "../support/sessionctl-process.js";
import { startTestServer, type TestServer } from "../support/server.js";

const sessionctl = (server: { port: number }, ...args: string[]) => run(server, args);
const json = jsonLines;

const sqlite = (await testBackends()).find((backend) => backend.name === "sqlite")!;

describe("sessionctl clients, notifications and audit", () => {
  let server: TestServer;
  let receiver: LogoutReceiver;
  let dir: string;

  before(async () => {
    receiver = await startReceiver();
    // The relying party refuses the first logout token (dead: a 4xx cannot pass by retrying), then accepts.
    receiver.on("/logout", (n) => ({ status: n === 1 ? 400 : 200 }));
    server = await startTestServer(sqlite, { notifier: true, notifierAllowAddresses: "127.0.0.1", allowHttpLogoutUris: true, notifierPollMs: 100 });
    dir = mkdtempSync(join(tmpdir(), "sessionctl-"));
  });
  after(async () => {
    await server?.stop();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should put a client from flags and show it as stored", async () => {
    const run = await sessionctl(server, "clients", "put", "--client-id", "rp", "--logout-uri", receiver.url("/logout"), "--no-session-required", "--token-type", "JWT");
    assert.equal(run.code, 0, run.stderr);
    const [header, row] = lines(run.stdout);
    assert.match(header!, /^CLIENT ID\s+ENABLED\s+LOGOUT URI\s+SID REQUIRED\s+TOKEN TYPE$/);
    assert.match(row!, new RegExp(`^rp\\s+yes\\s+${receiver.url("/logout").replace(/[.]/g, "\\.")}\\s+no\\s+JWT$`));
    const stored = await server.db.stores.clients.get("rp");
    assert.deepEqual(stored, { clientId: "rp", enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: false, logoutTokenType: "JWT" });
  });

  it("should get one client as JSON, and exit with 4 for a client that is not registered", async () => {
    const run = await sessionctl(server, "clients", "get", "rp", "--json");
    assert.equal(run.code, 0, run.stderr);
    assert.equal(json(run.stdout)[0]!.clientId, "rp");
    assert.equal(json(run.stdout)[0]!.logoutTokenType, "LOGOUT_TOKEN_TYPE_JWT");
    const missing = await sessionctl(server, "clients", "get", "nobody");
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /not found/);
  });

  it("should refuse bad client settings with exit code 2, naming the problem", async () => {
    const badType = await sessionctl(server, "clients", "put", "--client-id", "x", "--token-type", "jwt2");
    assert.equal(badType.code, 2);
    assert.match(badType.stderr, /--token-type: must be one of logout\+jwt, JWT, none/);
    const badUri = await sessionctl(server, "clients", "put", "--client-id", "x", "--logout-uri", "not a url");
    assert.equal(badUri.code, 2);
    assert.match(badUri.stderr, /backchannel_logout_uri/);
  });

  it("should apply a clients file, reporting created, updated and unchanged clients", async () => {
    const file = join(dir, "clients.yaml");
    writeFileSync(file, "clients:\n  - client_id: web-app\n    backchannel_logout_uri: https://web.example.com/logout\n  - client_id: mobile\n    enabled: false\n");
    const first = await sessionctl(server, "clients", "apply", "-f", file);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(lines(first.stdout), ["web-app: created", "mobile: created", "2 created, 0 updated, 0 unchanged"]);

    writeFileSync(file, "clients:\n  - client_id: web-app\n    backchannel_logout_uri: https://web.example.com/logout\n    logout_token_type: none\n  - client_id: mobile\n    enabled: false\n");
    const second = await sessionctl(server, "clients", "apply", "--file", file, "--json");
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(json(second.stdout), [{ clientId: "web-app", outcome: "updated" }, { clientId: "mobile", outcome: "unchanged" }]);
    assert.equal((await server.db.stores.clients.get("web-app"))?.logoutTokenType, "none");

    const invalid = join(dir, "bad.yaml");
    writeFileSync(invalid, "clients:\n  - client_id: a\n    colour: blue\n");
    const refused = await sessionctl(server, "clients", "apply", "-f", invalid);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /clients\[0\] \(a\): colour: unknown field/);
  });

  it("should list clients as a table and every page as JSON", async () => {
    const table = await sessionctl(server, "clients", "list");
    assert.equal(table.code, 0, table.stderr);
    assert.equal(lines(table.stdout).length, 4);
    const all = await sessionctl(server, "clients", "list", "--all", "--limit", "1", "--json");
    assert.deepEqual(json(all.stdout).map((c) => c.clientId), ["rp", "web-app", "mobile"]);
  });

  it("should delete a client, and say so when it was not registered", async () => {
    const run = await sessionctl(server, "clients", "delete", "mobile");
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "deleted mobile\n");
    assert.equal(await server.db.stores.clients.get("mobile"), undefined);
    const again = await sessionctl(server, "clients", "delete", "mobile");
    assert.equal(again.stdout, "mobile was not registered\n");
  });

  it("should list notifications by status and retry a dead one until it is delivered", async () => {
    await createSessions(server.db.stores, [{ subjectId: "erin", sessionId: "sid-erin", clientIds: ["rp"] }]);
    const removal = await sessionctl(server, "sessions", "remove", "--subject", "erin", "--yes");
    assert.match(removal.stdout, /1 notification queued/);

    const dead = await eventually("a dead notification", async () => {
      const rows = json((await sessionctl(server, "notifications", "list", "--status", "dead", "--json")).stdout);
      return rows.length === 1 ? rows[0] : undefined;
    });
    assert.equal(dead.clientId, "rp");
    assert.equal(dead.subjectId, "erin");
    const table = await sessionctl(server, "notifications", "list", "--client", "rp", "--subject", "erin", "--session", "sid-erin");
    assert.match(lines(table.stdout)[0]!, /^ID\s+STATUS\s+CLIENT\s+SUBJECT\s+SESSION ID\s+REASON\s+ATTEMPTS/);
    assert.match(lines(table.stdout)[1]!, new RegExp(`^${dead.notificationId}\\s+dead\\s+rp\\s+erin\\s+sid-erin\\s+admin removal\\s+1\\s.*HTTP 400`));
    assert.equal(lines((await sessionctl(server, "notifications", "list", "--client", "other")).stdout)[0], "(none)");

    const retry = await sessionctl(server, "notifications", "retry", String(dead.notificationId), "999999");
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(retry.stdout, "1 notification of 2 put back as pending\n");
    await eventually("the retried notification delivered", async () => {
      const rows = json((await sessionctl(server, "notifications", "list", "--status", "delivered", "--json")).stdout);
      return rows.length === 1 ? rows : undefined;
    });
    assert.equal(receiver.to("/logout").length, 2);

    const bad = await sessionctl(server, "notifications", "retry", "abc");
    assert.equal(bad.code, 2);
    const badStatus = await sessionctl(server, "notifications", "list", "--status", "lost");
    assert.equal(badStatus.code, 2);
  });

  it("should list the audit trail, filtered by method, principal and time", async () => {
    const all = json((await sessionctl(server, "audit", "list", "--all", "--json")).stdout);
    const methods = all.map((e) => e.method);
    assert.ok(methods.includes("sessionmanagement.v1.ClientRegistry/PutClient"), methods.join());
    assert.ok(methods.includes("sessionmanagement.v1.LogoutNotifications/RetryNotifications"), methods.join());

    const deletes = json((await sessionctl(server, "audit", "list", "--method", "ClientRegistry/DeleteClient", "--json")).stdout);
    assert.equal(deletes.length, 2);
    assert.ok(deletes.every((e) => e.method === "sessionmanagement.v1.ClientRegistry/DeleteClient" && e.principalId === "test-admin"));

    assert.equal(json((await sessionctl(server, "audit", "list", "--principal", "someone-else", "--json")).stdout).length, 0);
    assert.equal(json((await sessionctl(server, "audit", "list", "--since", "1h", "--all", "--json")).stdout).length, all.length);
    assert.equal(json((await sessionctl(server, "audit", "list", "--until", "2000-01-01", "--json")).stdout).length, 0);

    const table = await sessionctl(server, "audit", "list", "--method", "SessionManagement/RemoveSessions");
    assert.equal(table.code, 0, table.stderr);
    assert.match(lines(table.stdout)[0]!, /^ID\s+TIME\s+PRINCIPAL\s+METHOD\s+CODE\s+REQUEST\s+OUTCOME$/);
    assert.match(lines(table.stdout)[1]!, /SessionManagement\/RemoveSessions\s+OK\s+\{.*erin/);

    const badTime = await sessionctl(server, "audit", "list", "--since", "yesterday");
    assert.equal(badTime.code, 2);
    assert.match(badTime.stderr, /--since: "yesterday" is not a time/);
  });
});
