import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { testBackends } from "../support/backends.js";
import { bearerInterceptor } from "../support/test-credentials.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";

const [sqlite] = await testBackends();

// One port serves all three protocols; the generated TypeScript client works with each.
describe("SessionManagement over gRPC, gRPC-Web and Connect", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(sqlite!, { countExactLimit: 2 });
    await createSessions(server.db.stores, [
      { subjectId: "p", sessionId: "p-1", clientIds: ["web"] },
      { subjectId: "p", sessionId: "p-2" },
      { subjectId: "p", sessionId: "p-3" },
    ]);
  });
  after(async () => {
    await server?.stop();
  });

  const interceptors = [bearerInterceptor()];
  const transports = {
    grpc: () => createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}`, interceptors }),
    "grpc-web": () => createGrpcWebTransport({ baseUrl: `http://127.0.0.1:${server.port}`, httpVersion: "2", interceptors }),
    connect: () => createConnectTransport({ baseUrl: `http://127.0.0.1:${server.port}`, httpVersion: "2", interceptors }),
    // Browsers and plain HTTP clients: the cleartext HTTP/1.1 port.
    "grpc-web over HTTP/1.1": () => createGrpcWebTransport({ baseUrl: `http://127.0.0.1:${server.httpPort}`, httpVersion: "1.1", interceptors }),
    "connect over HTTP/1.1": () => createConnectTransport({ baseUrl: `http://127.0.0.1:${server.httpPort}`, httpVersion: "1.1", interceptors }),
  };

  for (const [protocol, transport] of Object.entries(transports)) {
    describe(protocol, () => {
      let client: Client<typeof SessionManagement>;
      before(() => {
        client = createClient(SessionManagement, transport());
      });

      it("should page with tokens", async () => {
        const first = await client.querySessions({ subjectId: "p", countRequested: 2 });
        assert.deepEqual(first.results.map((s) => s.sessionId), ["p-1", "p-2"]);
        assert.deepEqual(first.results[0]?.clientIds, ["web"]);
        const next = await client.querySessions({ subjectId: "p", countRequested: 2, resultsToken: first.resultsToken });
        assert.deepEqual(next.results.map((s) => s.sessionId), ["p-3"]);
        assert.equal(next.currentPage, 2);
      });

      it("should flag totals above the exact-count limit as estimates once cached", async () => {
        await client.querySessions({ subjectId: "p" });
        const response = await client.querySessions({ subjectId: "p" });
        assert.equal(response.totalCount, 3);
        assert.equal(response.totalPages, 1);
        assert.equal(response.totalCountIsEstimate, true);
        const exact = await client.querySessions({ sessionId: "p-1" });
        assert.equal(exact.totalCountIsEstimate, false);
      });

      it("should report invalid arguments with the same code and message", async () => {
        const error = await client.querySessions({ countRequested: -5 }).then(
          () => assert.fail("expected an error"),
          (e: unknown) => ConnectError.from(e),
        );
        assert.equal(error.code, Code.InvalidArgument);
        assert.equal(error.rawMessage, "count_requested: must not be negative");
      });

      it("should remove sessions and report counts", async () => {
        const response = await client.removeSessions({ sessionId: `gone-${protocol}` });
        assert.equal(response.sessionsRemoved, 0);
        assert.deepEqual(response.sessionIds, []);
      });
    });
  }
});
