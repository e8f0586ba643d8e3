import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { QuerySessionsRequestSchema } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { testBackends } from "../support/backends.js";
import { grpc } from "../support/grpc-client.js";
import { rawGrpcCall } from "../support/raw-grpc.js";
import { startTestServer, type TestServer } from "../support/server.js";

const [sqlite] = await testBackends();
const queryPath = "/sessionmanagement.v1.SessionManagement/QuerySessions";
const query = toBinary(QuerySessionsRequestSchema, create(QuerySessionsRequestSchema, { subjectId: "nobody" }));

describe("deadlineInterceptor()", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(sqlite!);
  });
  after(async () => {
    await server?.stop();
  });

  // Connect turns these into a one-millisecond timer, which a fast call outruns.
  for (const timeout of ["1n", "999999n", "1u", "999u", "0m", "0S"]) {
    it(`should fail a call with grpc-timeout ${timeout} DEADLINE_EXCEEDED`, async () => {
      const outcome = await rawGrpcCall(server.port, queryPath, query, { "grpc-timeout": timeout });
      assert.equal(outcome.status, grpc.status.DEADLINE_EXCEEDED, outcome.message);
    });
  }

  it("should serve a call whose deadline leaves time", async () => {
    for (const timeout of ["5S", "1M", "30000000u"]) {
      const outcome = await rawGrpcCall(server.port, queryPath, query, { "grpc-timeout": timeout });
      assert.equal(outcome.status, grpc.status.OK, `${timeout}: ${outcome.message}`);
    }
  });
});
