import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { envelope } from "../support/raw-rpc.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { testApiKey } from "../support/test-credentials.js";

const [sqlite] = await testBackends();
const querySessions = "/sessionmanagement.v1.SessionManagement/QuerySessions";
const origin = "https://admin.example.com";

/** One HTTP/2 request on its own connection: status, headers, trailers and body. */
async function h2(port: number, headers: http2.OutgoingHttpHeaders, body?: Buffer) {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    const stream = session.request(headers);
    const answer = { headers: {} as http2.IncomingHttpHeaders, trailers: {} as http2.IncomingHttpHeaders, body: "" };
    stream.on("response", (h) => (answer.headers = h));
    stream.on("trailers", (t) => (answer.trailers = t));
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (answer.body += chunk));
    stream.end(body);
    await new Promise((resolve, reject) => stream.on("close", resolve).on("error", reject));
    return answer;
  } finally {
    session.close();
  }
}

for (const adapter of ["stream", "compat"] as const) {
  describe(`HTTP/2 with --http2-adapter ${adapter}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(sqlite!, { http2Adapter: adapter, corsAllowedOrigins: origin });
    });
    after(async () => {
      await server?.stop();
    });

    /** How many health calls of a method have ended, whatever their code, from /metrics over HTTP/2. */
    const ended = async (method: string) => {
      const { body } = await h2(server.port, { ":method": "GET", ":path": "/metrics" });
      const lines = body.split("\n").filter((l) => l.startsWith(`grpc_server_handled_total{grpc_service="grpc.health.v1.Health",grpc_method="${method}",`));
      return lines.reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
    };

    it("should serve what is not an RPC (probes, metrics, key documents) on the same HTTP/2 port", async () => {
      for (const path of ["/healthz", "/metrics", "/.well-known/jwks.json"]) {
        const answer = await h2(server.port, { ":method": "GET", ":path": path });
        assert.equal(answer.headers[":status"], 200, path);
      }
      assert.equal((await h2(server.port, { ":method": "GET", ":path": "/nothing-here" })).headers[":status"], 404);
    });

    it("should end a gRPC call with its status in trailers, and its message in gRPC's own encoding", async () => {
      const answer = await h2(server.port, { ":method": "POST", ":path": querySessions, "content-type": "application/grpc", te: "trailers" }, envelope(Buffer.alloc(0)));
      assert.equal(answer.headers[":status"], 200);
      assert.equal(answer.headers["content-type"], "application/grpc+proto");
      assert.equal(answer.trailers["grpc-status"], "16");
      assert.ok(answer.trailers["grpc-message"], "a message says why");
      assert.doesNotMatch(String(answer.trailers["grpc-message"]), /%3A|%20/);
    });

    it("should answer a Connect call with its HTTP status and JSON error, and a success with its message", async () => {
      const connect = { ":method": "POST", ":path": querySessions, "content-type": "application/json", "connect-protocol-version": "1" };
      const refused = await h2(server.port, connect, Buffer.from("{}"));
      assert.equal(refused.headers[":status"], 401);
      assert.equal(JSON.parse(refused.body).code, "unauthenticated");
      const answered = await h2(server.port, { ...connect, authorization: `Bearer ${testApiKey}` }, Buffer.from(JSON.stringify({ subjectId: "nobody" })));
      assert.equal(answered.headers[":status"], 200);
      assert.ok(answered.headers["x-request-id"]);
      assert.equal(JSON.parse(answered.body).totalCount, 0);
    });

    it("should give a browser's call over HTTP/2 its CORS headers", async () => {
      const answer = await h2(
        server.port,
        { ":method": "POST", ":path": querySessions, origin, authorization: `Bearer ${testApiKey}`, "content-type": "application/json", "connect-protocol-version": "1" },
        Buffer.from("{}"),
      );
      assert.equal(answer.headers[":status"], 200);
      assert.equal(answer.headers["access-control-allow-origin"], origin);
    });

    it("should end a streaming call's work when its client cancels it", async () => {
      const before = await ended("Watch");
      const session = http2.connect(`http://127.0.0.1:${server.port}`);
      const stream = session.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Watch", "content-type": "application/grpc", te: "trailers" });
      stream.on("error", () => undefined);
      stream.end(envelope(Buffer.alloc(0)));
      await new Promise((resolve) => stream.once("data", resolve));
      stream.close(http2.constants.NGHTTP2_CANCEL);
      // A watch ends only when its client goes away (or the server stops).
      await eventually("the watch ended", async () => ((await ended("Watch")) > before ? true : undefined), 5000);
      session.close();
    });
  });
}
