import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import { callError, grpc, sessionManagementClient, type Message, type SessionManagementClient } from "../support/grpc-client.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";

const long = "x".repeat(201);
const astralLong = "😀".repeat(201);
const hostile = ["' OR '1'='1", "'; DROP TABLE server_side_sessions; --", "%", "_", "%%", "\\", "\\%", "\0", "\"", "`", "*", "a%b", "Robert'); --"];

for (const backend of await testBackends()) {
  describe(`bad input (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let client: SessionManagementClient;

    before(async () => {
      server = await startTestServer(backend, { maxRequestBytes: 64 * 1024, maxTimeoutMs: 60_000 });
      client = sessionManagementClient(server.port);
      await createSessions(server.db.stores, [
        { subjectId: "victim", sessionId: "victim-sid", displayName: "Victim", clientIds: ["app"] },
        { subjectId: "other", sessionId: "other-sid", displayName: "Other", clientIds: ["app"] },
      ]);
    });
    after(async () => {
      client?.close();
      await server?.stop();
    });

    const expectInvalid = async (call: Promise<unknown>, field: string) => {
      const error = await callError(call);
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT, `${field}: ${error.details}`);
      assert.match(error.details, new RegExp(field.replace(/[[\]]/g, "\\$&")));
      assert.doesNotMatch(error.details, /SELECT|INSERT|DELETE|sql|at \w+ \(/i);
    };

    it("should reject over-long filter values in QuerySessions, naming the field", async () => {
      for (const field of ["subject_id", "session_id", "display_name", "client_id"]) {
        await expectInvalid(client.querySessions({ [field]: long }), field);
        await expectInvalid(client.querySessions({ [field]: astralLong }), field);
      }
    });

    it("should accept values exactly at the limit", async () => {
      const response = await client.querySessions({ subject_id: "y".repeat(200), display_name: "😀".repeat(200) });
      assert.deepEqual(response.results, []);
    });

    it("should reject over-long values in RemoveSessions, naming the field", async () => {
      await expectInvalid(client.removeSessions({ subject_id: long }), "subject_id");
      await expectInvalid(client.removeSessions({ session_id: long }), "session_id");
      await expectInvalid(client.removeSessions({ subject_id: "victim", client_ids: ["ok", long] }), "client_ids[1]");
      await expectInvalid(client.removeSessions({ subject_id: "victim", client_ids: Array.from({ length: 1001 }, (_, i) => `c${i}`) }), "client_ids");
    });

    it("should reject negative and minimal page sizes", async () => {
      for (const count of [-1, -2147483648]) await expectInvalid(client.querySessions({ count_requested: count }), "count_requested");
      const maximal = await client.querySessions({ count_requested: 2147483647 });
      assert.equal(maximal.results.length, 2);
    });

    it("should reject garbage and oversized page tokens", async () => {
      for (const token of ["x", "====", "Zm9v", "A".repeat(66), "A".repeat(5000), "☃", "' OR 1=1 --", "..", "%00"]) {
        await expectInvalid(client.querySessions({ results_token: token }), "results_token");
        await expectInvalid(client.querySessions({ results_token: token, request_prior_results: true }), "results_token");
      }
    });

    it("should treat SQL wildcards and quotes as plain text in every filter", async () => {
      for (const value of hostile) {
        for (const field of ["subject_id", "session_id", "display_name", "client_id"]) {
          const response = await client.querySessions({ [field]: value });
          assert.deepEqual(response.results, [], `${field}=${JSON.stringify(value)}`);
          assert.equal(response.total_count, 0);
        }
        const removed = await client.removeSessions({ subject_id: value, client_ids: [value] });
        assert.equal(removed.sessions_removed, 0);
        const bySid = await client.removeSessions({ session_id: value });
        assert.equal(bySid.sessions_removed, 0);
      }
      const survivors = await client.querySessions({});
      assert.deepEqual((survivors.results as Message[]).map((s) => s.subject_id), ["victim", "other"]);
    });

    it("should reject text that is not valid Unicode", async () => {
      // protobuf.js writes a lone surrogate as U+FFFD, so send it over Connect JSON instead.
      const response = await fetchJson(server.port, "QuerySessions", '{"subjectId":"\\ud800"}');
      assert.equal(response.status, 400);
      assert.match(response.body, /subject_id/);
    });

    it("should answer RESOURCE_EXHAUSTED for a request over the size limit and change nothing", async () => {
      const error = await callError(client.removeSessions({ subject_id: "victim", client_ids: Array.from({ length: 900 }, () => "c".repeat(100)) }));
      assert.equal(error.code, grpc.status.RESOURCE_EXHAUSTED);
      assert.equal((await client.querySessions({ subject_id: "victim" })).results.length, 1);
    });

    it("should refuse a deadline longer than the configured maximum", async () => {
      const error = await callError(client.querySessions({}, { deadlineMs: 10 * 60_000 }));
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
    });

    it("should keep serving after all of the above", async () => {
      const response = await client.querySessions({ subject_id: "victim" });
      assert.equal(response.results.length, 1);
    });
  });
}

/** A Connect-protocol JSON call over h2c, bypassing protobuf encoders that would sanitise the input. */
async function fetchJson(port: number, method: string, body: string): Promise<{ status: number; body: string }> {
  const http2 = await import("node:http2");
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({
        ":method": "POST",
        ":path": `/sessionmanagement.v1.SessionManagement/${method}`,
        "content-type": "application/json",
        "connect-protocol-version": "1",
      });
      let status = 0;
      let text = "";
      stream.on("response", (headers) => (status = Number(headers[":status"])));
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (text += chunk));
      stream.on("end", () => resolve({ status, body: text }));
      stream.on("error", reject);
      stream.end(body);
    });
  } finally {
    session.close();
  }
}
