import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createServiceAdapter, createServiceConnection, type ServiceConnection } from "../../../src/integrations/oidc-provider/index.js";
import { testBackends } from "../../support/backends.js";
import { eventually } from "../../support/eventually.js";
import { startServerProcess, type ServerProcess } from "../../support/server-process.js";
import { testApiKey } from "../../support/test-credentials.js";

// The adapter's contract with oidc-provider, against the service as a process.

const [sqlite] = await testBackends();
const now = () => Math.floor(Date.now() / 1000);

describe("createServiceAdapter()", () => {
  let service: ServerProcess;
  let remove: () => Promise<void>;
  let connection: ServiceConnection;
  let adapter: ReturnType<typeof createServiceAdapter>;

  before(async () => {
    const database = await sqlite!.createEmpty();
    remove = database.remove;
    service = startServerProcess({ DATABASE_URL: database.url }, ["--port=0", "--http-port=0"]);
    connection = createServiceConnection({ baseUrl: `http://127.0.0.1:${await service.port}`, apiKey: testApiKey });
    adapter = createServiceAdapter({ connection, issuer: "https://op.example", displayName: (id) => `User ${id}`.repeat(40) });
  });
  after(async () => {
    connection?.close();
    service?.child.kill("SIGTERM");
    await service?.exited;
    await remove?.();
  });

  it("should store a token's payload whole, under its type, bound to the subject, session and client", async () => {
    const payload = { jti: "at1", kind: "AccessToken", accountId: "ann", clientId: "web", grantId: "g1", sessionUid: "u1", exp: now() + 60, iat: now(), scope: "openid" };
    await adapter("AccessToken").upsert("at1", payload, 60);
    assert.deepEqual(await adapter("AccessToken").find("at1"), payload);
    const { grant } = await connection.grants.getGrant({ key: "AccessToken:at1" });
    assert.equal(grant!.type, "reference_token");
    assert.equal(grant!.subjectId, "ann");
    assert.equal(grant!.sessionId, "u1");
    assert.equal(grant!.clientId, "web");
    assert.equal(await adapter("RefreshToken").find("at1"), undefined, "models do not see each other's records");
  });

  it("should record the consumed time and return it as `consumed`", async () => {
    await adapter("AuthorizationCode").upsert("c1", { jti: "c1", accountId: "ann", clientId: "web", grantId: "g1", exp: now() + 60 }, 60);
    await adapter("AuthorizationCode").consume("c1");
    const found = await adapter("AuthorizationCode").find("c1");
    assert.equal(typeof found?.consumed, "number");
    assert.ok(Math.abs(found!.consumed - now()) <= 5);
  });

  it("should revoke a grant's tokens by grant id, and only those", async () => {
    await adapter("Grant").upsert("g2", { jti: "g2", kind: "Grant", accountId: "bea", clientId: "web", exp: now() + 600 }, 600);
    await adapter("Grant").upsert("g3", { jti: "g3", kind: "Grant", accountId: "bea", clientId: "web", exp: now() + 600 }, 600);
    for (const [model, id, grantId] of [["RefreshToken", "r2", "g2"], ["AccessToken", "a2", "g2"], ["RefreshToken", "r3", "g3"]] as const) {
      await adapter(model).upsert(id, { jti: id, accountId: "bea", clientId: "web", grantId, exp: now() + 600 }, 600);
    }
    await Promise.all([adapter("AccessToken").revokeByGrantId("g2"), adapter("RefreshToken").revokeByGrantId("g2"), adapter("Grant").destroy("g2")]);
    assert.equal(await adapter("RefreshToken").find("r2"), undefined);
    assert.equal(await adapter("AccessToken").find("a2"), undefined);
    assert.equal(await adapter("Grant").find("g2"), undefined);
    assert.ok(await adapter("RefreshToken").find("r3"), "another grant's token stays");
  });

  it("should find a device code by its user code and forget both on destroy", async () => {
    await adapter("DeviceCode").upsert("d1", { jti: "d1", clientId: "tv", userCode: "ABCD-EFGH", exp: now() + 300 }, 300);
    assert.equal((await adapter("DeviceCode").findByUserCode("ABCD-EFGH"))?.jti, "d1");
    await adapter("DeviceCode").destroy("d1");
    assert.equal(await adapter("DeviceCode").findByUserCode("ABCD-EFGH"), undefined);
  });

  it("should record a logged-in session with its clients, display name cut to size and uid as session id, and find it by uid", async () => {
    const payload = { jti: "s1", kind: "Session", uid: "uid-1", accountId: "cy", loginTs: now(), iat: now() - 30, exp: now() + 600, authorizations: { web: { sid: "uid-1", grantId: "g9" } } };
    await adapter("Session").upsert("s1", payload, 600);
    const { session } = await connection.sessions.getSession({ key: "s1" });
    assert.equal(session!.sessionId, "uid-1");
    assert.equal(session!.subjectId, "cy");
    assert.deepEqual(session!.clientIds, ["web"]);
    assert.equal(Array.from(session!.displayName).length, 200);
    assert.equal(Number(session!.created!.seconds), payload.iat, "created is when the provider first saved the session");
    assert.deepEqual(await adapter("Session").findByUid("uid-1"), payload);
  });

  it("should rotate a session's id without a moment unrecorded, keeping its creation time", async () => {
    const payload = { kind: "Session", uid: "uid-rot", accountId: "dee", iat: now() - 60, exp: now() + 600, authorizations: { web: { sid: "uid-rot" } } };
    const sessionAdapter = adapter("Session");
    await sessionAdapter.upsert("old-key", { ...payload, jti: "old-key" }, 600);
    assert.ok(await sessionAdapter.find("old-key"));
    await sessionAdapter.destroy("old-key");
    assert.equal((await connection.sessions.getSessions({ sessionId: "uid-rot" })).results.length, 1, "still recorded until the new key is");
    await sessionAdapter.upsert("new-key", { ...payload, jti: "new-key" }, 600);
    const { results } = await connection.sessions.getSessions({ sessionId: "uid-rot" });
    assert.deepEqual(results.map((s) => s.key), ["new-key"]);
    assert.equal(Number(results[0]!.created!.seconds), payload.iat);
  });

  it("should not let a rotation bring back a session ended while its id was rotated", async () => {
    const payload = { kind: "Session", uid: "uid-race", accountId: "eve", exp: now() + 600, authorizations: { web: { sid: "uid-race" } } };
    const sessionAdapter = adapter("Session");
    await sessionAdapter.upsert("race-old", { ...payload, jti: "race-old" }, 600);
    assert.ok(await sessionAdapter.find("race-old"));
    await connection.sessions.deleteSessions({ sessionId: "uid-race" }); // an administrator, meanwhile
    await sessionAdapter.destroy("race-old");
    await sessionAdapter.upsert("race-new", { ...payload, jti: "race-new" }, 600);
    assert.equal((await connection.sessions.getSessions({ sessionId: "uid-race" })).results.length, 0);
  });

  it("should still remove a read session that the adapter destroys without a save following", async () => {
    const sessionAdapter = adapter("Session");
    await sessionAdapter.upsert("lone", { jti: "lone", kind: "Session", uid: "uid-lone", accountId: "fay", exp: now() + 600 }, 600);
    assert.ok(await sessionAdapter.find("lone"));
    await sessionAdapter.destroy("lone");
    await eventually("the session to be removed", async () =>
      (await connection.sessions.getSessions({ sessionId: "uid-lone" })).results.length === 0 ? true : undefined,
    );
  });

  it("should keep sessions without an account out of SessionStore", async () => {
    await adapter("Session").upsert("anon", { jti: "anon", kind: "Session", uid: "uid-anon", exp: now() + 600 }, 600);
    assert.equal((await adapter("Session").find("anon"))?.uid, "uid-anon");
    assert.equal((await connection.sessions.getSessions({ sessionId: "uid-anon" })).results.length, 0);
  });

  it("should work over the Connect protocol too, on HTTP/2 and on HTTP/1.1", async () => {
    const httpPort = /"httpPort":(\d+)/.exec(service.logs())![1];
    for (const options of [
      { baseUrl: `http://127.0.0.1:${await service.port}`, protocol: "connect" as const },
      { baseUrl: `http://127.0.0.1:${httpPort}`, protocol: "connect" as const, httpVersion: "1.1" as const },
    ]) {
      const other = createServiceConnection({ ...options, apiKey: testApiKey });
      try {
        const tokens = createServiceAdapter({ connection: other, issuer: "x" })("RefreshToken");
        await tokens.upsert(`rt-${options.protocol}-${options.httpVersion ?? "2"}`, { clientId: "web", accountId: "gil" }, 60);
        assert.equal((await tokens.find(`rt-${options.protocol}-${options.httpVersion ?? "2"}`))?.accountId, "gil");
      } finally {
        other.close();
      }
    }
  });

  it("should treat keys too long to be stored as not found", async () => {
    assert.equal(await adapter("RefreshToken").find("x".repeat(5000)), undefined);
    assert.equal(await adapter("Session").find("x".repeat(5000)), undefined);
  });

  it("should fail, storing nothing, when the service rejects a payload", async () => {
    await assert.rejects(adapter("AccessToken").upsert("bad", { jti: "bad", accountId: "ann", clientId: "c".repeat(300) }, 60), (error) => {
      assert.equal(ConnectError.from(error).code, Code.InvalidArgument);
      return true;
    });
    assert.equal(await adapter("AccessToken").find("bad"), undefined);
  });

  it("should fail with DEADLINE_EXCEEDED, not hang, when the service accepts the connection but never answers", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const stalled = createServiceConnection({ baseUrl: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, apiKey: testApiKey, timeoutMs: 500 });
    try {
      await assert.rejects(createServiceAdapter({ connection: stalled, issuer: "x" })("RefreshToken").find("r1"), (error) => {
        assert.equal(ConnectError.from(error).code, Code.DeadlineExceeded);
        return true;
      });
    } finally {
      stalled.close();
      silent.close();
      silent.unref();
    }
  });
});
