import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code } from "@connectrpc/connect";
import { pino } from "pino";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { capRequestedTimeout } from "../../src/server/timeout-header.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { envelope, h2cTransport, type RawTransport } from "../support/raw-rpc.js";
import { testConfig } from "../support/server.js";
import { testApiKey } from "../support/test-credentials.js";

const [sqlite] = await testBackends();

describe("capRequestedTimeout()", () => {
  const capped = (name: string, value: string) => {
    const header = new Headers({ [name]: value });
    capRequestedTimeout(header, 300_000);
    return header.get(name);
  };

  it("should cap a gRPC deadline over the maximum to the maximum plus one millisecond", () => {
    assert.equal(capped("grpc-timeout", "99999999H"), "300001m");
    assert.equal(capped("grpc-timeout", "301S"), "300001m");
  });

  it("should cap a Connect deadline over the maximum the same way", () => {
    assert.equal(capped("connect-timeout-ms", "9999999999"), "300001");
  });

  it("should leave deadlines within the maximum, and values the framework refuses anyway, as they are", () => {
    assert.equal(capped("grpc-timeout", "300S"), "300S");
    assert.equal(capped("grpc-timeout", "1n"), "1n");
    assert.equal(capped("grpc-timeout", "5 minutes"), "5 minutes");
    assert.equal(capped("connect-timeout-ms", "300000"), "300000");
    assert.equal(capped("connect-timeout-ms", "-1"), "-1");
  });
});

describe("a deadline far over the maximum", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let transport: RawTransport;
  const warnings: string[] = [];
  const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`);
  before(async () => {
    db = await sqlite!.open();
    server = await startServer(testConfig({ databaseUrl: db.url }), db.stores, pino({ level: "silent" }));
    transport = h2cTransport(server.port);
    process.on("warning", onWarning);
  });
  after(async () => {
    process.off("warning", onWarning);
    transport?.close();
    await server?.close();
    await db?.drop();
  });

  it("should be refused with INVALID_ARGUMENT over gRPC and Connect, without a timer warning", async () => {
    const path = "/sessionmanagement.v1.SessionManagement/QuerySessions";
    const headers = { authorization: `Bearer ${testApiKey}` };
    const grpc = await transport.send({ path, headers: { ...headers, "content-type": "application/grpc", te: "trailers", "grpc-timeout": "99999999H" }, body: envelope(Buffer.alloc(0)) });
    assert.equal(grpc.code, Code.InvalidArgument);
    assert.match(grpc.message, /timeout 300001ms must be <= 300000/);
    const connect = await transport.send({ path, headers: { ...headers, "content-type": "application/proto", "connect-timeout-ms": "9999999999" }, body: Buffer.alloc(0) });
    assert.equal(connect.code, Code.InvalidArgument);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.filter((w) => w.startsWith("TimeoutOverflowWarning")), []);
  });
});
