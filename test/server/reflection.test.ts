import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { create, createFileRegistry, fromBinary, toJson, type DescService, type JsonObject } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "../../gen/ts/grpc/health/v1/health_pb.js";
import * as v1 from "../../gen/ts/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../gen/ts/grpc/reflection/v1alpha/reflection_pb.js";
import { AuditLog } from "../../gen/ts/sessionmanagement/v1/audit_log_pb.js";
import { ClientRegistry } from "../../gen/ts/sessionmanagement/v1/client_registry_pb.js";
import { GrantStore } from "../../gen/ts/sessionmanagement/v1/grant_store_pb.js";
import { LogoutNotifications } from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { SessionStore } from "../../gen/ts/sessionmanagement/v1/session_store_pb.js";
import { SessionExport, SessionTermination } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { testBackends } from "../support/backends.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { bearerInterceptor, permissionKeys, testApiKey } from "../support/test-credentials.js";

const [sqlite] = await testBackends();
const buf = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));

/** Every service the server offers, as its generated code declares them. */
const served: readonly DescService[] = [
  SessionManagement,
  LogoutNotifications,
  SessionStore,
  GrantStore,
  ClientRegistry,
  AuditLog,
  SessionTermination,
  SessionExport,
  Health,
  v1.ServerReflection,
  v1alpha.ServerReflection,
];

// Both versions have the same messages under different package names; the
// v1 types describe the v1alpha ones too (the descriptor used is the real one).
const reflectionServices = { v1: v1.ServerReflection, v1alpha: v1alpha.ServerReflection as unknown as typeof v1.ServerReflection };
type Version = keyof typeof reflectionServices;
type ReflectionRequest = v1.ServerReflectionRequest["messageRequest"];

describe("gRPC server reflection", () => {
  let server: TestServer;
  let cwd: string;
  before(async () => {
    server = await startTestServer(sqlite!);
    await createSessions(server.db.stores, [{ subjectId: "x", sessionId: "sid-x", displayName: "X" }]);
    // No proto files around: whatever buf curl knows comes from reflection.
    cwd = mkdtempSync(join(tmpdir(), "sm-reflection-"));
  });
  after(async () => {
    await server?.stop();
    if (cwd !== undefined) rmSync(cwd, { recursive: true, force: true });
  });

  const transport = (interceptors: Interceptor[] = [bearerInterceptor()]) =>
    createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}`, interceptors });

  /** Sends the requests on one reflection stream; returns the answers in order. */
  const reflect = async (version: Version, requests: ReflectionRequest[], interceptors?: Interceptor[]) => {
    const client: Client<typeof v1.ServerReflection> = createClient(reflectionServices[version], transport(interceptors));
    const answers: v1.ServerReflectionResponse["messageResponse"][] = [];
    for await (const response of client.serverReflectionInfo(
      (async function* () {
        for (const messageRequest of requests) yield { host: "", messageRequest };
      })(),
    )) {
      answers.push(response.messageResponse);
    }
    return answers;
  };

  /** The files of one fileDescriptorResponse, decoded. */
  const filesOf = (answer: v1.ServerReflectionResponse["messageResponse"] | undefined): FileDescriptorProto[] => {
    assert.equal(answer?.case, "fileDescriptorResponse", JSON.stringify(answer));
    return answer.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes));
  };

  for (const version of ["v1", "v1alpha"] as const) {
    it(`should list every service served (${version})`, async () => {
      const [answer] = await reflect(version, [{ case: "listServices", value: "" }]);
      assert.equal(answer?.case, "listServicesResponse");
      assert.deepEqual(answer.value.service.map((s) => s.name).sort(), served.map((s) => s.typeName).sort());
    });

    it(`should answer fileContainingSymbol with the declaring file first and every file it imports (${version})`, async () => {
      const [answer] = await reflect(version, [{ case: "fileContainingSymbol", value: "sessionmanagement.v1.SessionManagement" }]);
      const files = filesOf(answer);
      assert.equal(files[0]?.name, "sessionmanagement/v1/session_management.proto");
      const names = new Set(files.map((f) => f.name));
      assert.equal(names.size, files.length, "each file once");
      assert.ok(names.has("google/protobuf/timestamp.proto"));
      for (const file of files) {
        for (const dependency of file.dependency) assert.ok(names.has(dependency), `${file.name} imports ${dependency}, which is missing`);
      }
    });
  }

  it("should answer for every service with files that resolve on their own", async () => {
    const answers = await reflect("v1", served.map((s) => ({ case: "fileContainingSymbol", value: s.typeName })));
    served.forEach((expected, i) => {
      const registry = registryOf(filesOf(answers[i]));
      assert.deepEqual(
        registry.getService(expected.typeName)?.methods.map((m) => m.name),
        expected.methods.map((m) => m.name),
      );
    });
  });

  it("should find the same file by a method, a message and a nested name, and a file by its name", async () => {
    const answers = await reflect("v1", [
      { case: "fileContainingSymbol", value: "sessionmanagement.v1.SessionManagement.QuerySessions" },
      { case: "fileContainingSymbol", value: "sessionmanagement.v1.QuerySessionsRequest" },
      { case: "fileContainingSymbol", value: "grpc.health.v1.HealthCheckResponse.ServingStatus" },
      { case: "fileByFilename", value: "sessionmanagement/v1/session_management.proto" },
      { case: "fileByFilename", value: "google/protobuf/timestamp.proto" },
    ]);
    assert.equal(filesOf(answers[0])[0]?.name, "sessionmanagement/v1/session_management.proto");
    assert.equal(filesOf(answers[1])[0]?.name, "sessionmanagement/v1/session_management.proto");
    assert.equal(filesOf(answers[2])[0]?.name, "grpc/health/v1/health.proto");
    assert.deepEqual(filesOf(answers[3]).map((f) => f.name), [
      "sessionmanagement/v1/session_management.proto",
      "google/protobuf/timestamp.proto",
      "sessionmanagement/v1/session_metadata.proto",
    ]);
    assert.deepEqual(filesOf(answers[4]).map((f) => f.name), ["google/protobuf/timestamp.proto"]);
  });

  it("should answer NOT_FOUND on the stream for an unknown symbol and keep the stream going", async () => {
    const [unknown, next] = await reflect("v1", [
      { case: "fileContainingSymbol", value: "example.v1.Nothing" },
      { case: "listServices", value: "" },
    ]);
    assert.equal(unknown?.case, "errorResponse");
    assert.equal(unknown.value.errorCode, Code.NotFound);
    assert.equal(next?.case, "listServicesResponse");
  });

  it("should give a client everything it needs to call a method it has no code for", async () => {
    const [answer] = await reflect("v1", [{ case: "fileContainingSymbol", value: "sessionmanagement.v1.SessionManagement" }]);
    // Fails if any import is missing from the response.
    const registry = registryOf(filesOf(answer));
    const service = registry.getService("sessionmanagement.v1.SessionManagement");
    assert.ok(service);
    const method = service.method.querySessions!;
    const request = registry.getMessage("sessionmanagement.v1.QuerySessionsRequest");
    assert.ok(request?.field.subjectId);
    const client = createClient(service, transport()) as unknown as Record<string, (request: object) => Promise<never>>;
    const response = await client.querySessions!({ subjectId: "x" });
    const json = toJson(method.output, response, { registry }) as JsonObject;
    const [session] = json.results as JsonObject[];
    assert.equal(session?.sessionId, "sid-x");
    assert.equal(session?.displayName, "X");
    assert.match(String(session?.created), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, "a google.protobuf.Timestamp, resolved from the response");
  });

  it("should refuse reflection without a credential, and allow it with any valid one", async () => {
    for (const version of ["v1", "v1alpha"] as const) {
      const error = await reflect(version, [{ case: "listServices", value: "" }], []).then(
        () => assert.fail("expected UNAUTHENTICATED"),
        (e: unknown) => ConnectError.from(e),
      );
      assert.equal(error.code, Code.Unauthenticated, version);
      const [answer] = await reflect(version, [{ case: "listServices", value: "" }], [bearerInterceptor(permissionKeys["audit.read"])]);
      assert.equal(answer?.case, "listServicesResponse");
    }
  });

  describe("with buf curl", () => {
    /** Runs buf curl from a folder without protos; resolves with its exit code and output. */
    const bufCurl = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--reflect", ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
        );
      });
    const authorization = `authorization: Bearer ${testApiKey}`;

    it("should list every method of every service", { timeout: 90_000 }, async () => {
      // buf curl sends -H headers on calls only; --reflect-header '*' sends them on reflection requests too.
      const result = await bufCurl("-H", authorization, "--reflect-header", "*", "--list-methods", `http://127.0.0.1:${server.port}`);
      assert.equal(result.code, 0, result.stderr);
      const expected = served.flatMap((s) => s.methods.map((m) => `${s.typeName}/${m.name}`)).sort();
      assert.deepEqual(result.stdout.trim().split("\n").sort(), expected);
    });

    it("should call QuerySessions with the schema from reflection alone", { timeout: 90_000 }, async () => {
      const result = await bufCurl(
        "-H",
        authorization,
        "--reflect-header",
        "*",
        "-d",
        '{"subjectId":"x"}',
        `http://127.0.0.1:${server.port}/sessionmanagement.v1.SessionManagement/QuerySessions`,
      );
      assert.equal(result.code, 0, result.stderr);
      const response = JSON.parse(result.stdout) as { results: { subjectId: string; sessionId: string; created: string }[]; totalCount: number };
      assert.equal(response.totalCount, 1);
      assert.deepEqual(response.results.map((s) => [s.subjectId, s.sessionId]), [["x", "sid-x"]]);
      assert.match(response.results[0]!.created, /^\d{4}-\d\d-\d\dT/);
    });

    it("should be refused reflection without the key", { timeout: 90_000 }, async () => {
      // As when the key is only sent on calls (-H without --reflect-header).
      const result = await bufCurl("-H", authorization, "--list-methods", `http://127.0.0.1:${server.port}`);
      assert.notEqual(result.code, 0);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, /not authenticated|unauthenticated/i);
    });
  });
});

// A registry of the files of one answer, each added after its imports. (The
// resolver form of createFileRegistry adds a file before an import it shares
// with another file, so it cannot load a diamond of imports.)
function registryOf(files: FileDescriptorProto[]) {
  const byName = new Map(files.map((f) => [f.name, f]));
  const ordered: FileDescriptorProto[] = [];
  const visit = (name: string) => {
    const file = byName.get(name);
    assert.ok(file, `${name} is imported but missing from the answer`);
    if (ordered.includes(file)) return;
    for (const dependency of file.dependency) visit(dependency);
    ordered.push(file);
  };
  visit(files[0]!.name);
  return createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }));
}
