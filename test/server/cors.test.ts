import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isOrigin } from "../../src/server/cors.js";
import { testBackends } from "../support/backends.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { testApiKey } from "../support/test-credentials.js";

const [sqlite] = await testBackends();
const admin = "https://admin.example.com";
const path = "/sessionmanagement.v1.SessionManagement/QuerySessions";

describe("calls from web pages of other origins (CORS)", () => {
  let server: TestServer;
  let plain: TestServer;
  const url = (s: TestServer) => `http://127.0.0.1:${s.httpPort}${path}`;
  const preflight = (s: TestServer, origin: string) =>
    fetch(url(s), {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, connect-protocol-version" },
    });
  const call = (s: TestServer, origin: string) =>
    fetch(url(s), {
      method: "POST",
      headers: { origin, authorization: `Bearer ${testApiKey}`, "content-type": "application/json", "connect-protocol-version": "1" },
      body: JSON.stringify({ subjectId: "nobody" }),
    });

  before(async () => {
    server = await startTestServer(sqlite!, { corsAllowedOrigins: `${admin}, http://localhost:5173` });
    plain = await startTestServer(sqlite!);
  });
  after(async () => {
    await server?.stop();
    await plain?.stop();
  });

  it("should answer a preflight from an allowed origin with the methods and headers the browser protocols and the credential need", async () => {
    const response = await preflight(server, admin);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), admin);
    assert.match(response.headers.get("access-control-allow-methods")!, /POST/);
    const headers = response.headers.get("access-control-allow-headers")!.split(", ");
    for (const header of ["authorization", "content-type", "connect-protocol-version", "x-grpc-web", "x-request-id"]) assert.ok(headers.includes(header), header);
    assert.equal(response.headers.get("vary"), "Origin");
  });

  it("should let the page read an allowed call's answer and its request id", async () => {
    const response = await call(server, "http://localhost:5173");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), "http://localhost:5173");
    assert.match(response.headers.get("access-control-expose-headers")!, /x-request-id/);
    assert.ok(response.headers.get("x-request-id"));
    assert.equal(((await response.json()) as { totalCount?: number }).totalCount ?? 0, 0);
  });

  it("should give other origins no CORS headers, so browsers keep their pages out", async () => {
    const refused = await preflight(server, "https://evil.example.com");
    assert.equal(refused.headers.get("access-control-allow-origin"), null);
    const answered = await call(server, "https://evil.example.com");
    assert.equal(answered.headers.get("access-control-allow-origin"), null);
  });

  it("should add no CORS headers at all unless origins are configured", async () => {
    assert.equal((await preflight(plain, admin)).headers.get("access-control-allow-origin"), null);
    assert.equal((await call(plain, admin)).headers.get("access-control-allow-origin"), null);
  });

  it("should still require credentials from allowed origins", async () => {
    const response = await fetch(url(server), {
      method: "POST",
      headers: { origin: admin, "content-type": "application/json", "connect-protocol-version": "1" },
      body: "{}",
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("access-control-allow-origin"), admin);
  });
});

describe("isOrigin()", () => {
  it("should accept origins and * only", () => {
    for (const value of ["https://admin.example.com", "http://localhost:5173", "*"]) assert.ok(isOrigin(value), value);
    for (const value of ["admin.example.com", "https://admin.example.com/", "https://admin.example.com/app", "ftp://x.example.com", ""]) {
      assert.ok(!isOrigin(value), value);
    }
  });
});
