import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { DescService } from "@bufbuild/protobuf";
import { ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { Health } from "../../gen/ts/grpc/health/v1/health_pb.js";
import { ServerReflection as ServerReflectionV1 } from "../../gen/ts/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1alpha } from "../../gen/ts/grpc/reflection/v1alpha/reflection_pb.js";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { SessionExport, SessionTermination } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { allServices } from "../../src/server/routes.js";
import { generateApiKey, sha256 } from "../../src/service/auth/api-keys.js";
import { methodRequirements, permissions, requirementOf, type Permission, type Requirement } from "../../src/service/auth/permissions.js";
import { testBackends } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { grpc, grpcServiceClient, type CallError, type Message, type ServiceClient, type UnaryCall } from "../support/grpc-client.js";
import { createSessions } from "../support/seed-sessions.js";
import { recordJob } from "../support/termination-world.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { bearerInterceptor, permissionKeys, testApiKey, testApiKeysFile } from "../support/test-credentials.js";

const [sqlite] = await testBackends();

const issuer = "https://idp.example.com";
const audience = "session-management";
const operator = "matrix-operator";
const everyScope = permissions.join(" ");

/** How a call ended: its gRPC status code and message. */
interface Outcome {
  code: grpc.status;
  message: string;
}

/** The bearer value a call presents; null for none. */
type Bearer = string | null;

/** A credential, named for the test output. */
interface Credential {
  name: string;
  bearer: Bearer;
}

type Caller = (bearer: Bearer) => Promise<Outcome>;

const ok: Outcome = { code: grpc.status.OK, message: "" };
const fullName = (service: DescService, method: string) => `${service.typeName}/${method}`;
const servedMethods = allServices.flatMap((service) => service.methods.map((method) => ({ service, method: method.name, name: fullName(service, method.name) })));
let sequence = 0;
const unique = (prefix: string) => `${prefix}-${++sequence}`;
// A job recorded (and cancelled) before the matrix runs.
let matrixJobId = "";
const now = () => ({ seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 });

/**
 * A request each method of the product's own services answers with OK once
 * the caller may call it (run against the records seeded below). A method
 * without one fails the coverage test.
 */
const requests: Record<string, () => Message> = {
  "sessionmanagement.v1.SessionManagement/QuerySessions": () => ({ count_requested: 1 }),
  "sessionmanagement.v1.SessionManagement/RemoveSessions": () => ({ subject_id: "matrix-nobody" }),
  "sessionmanagement.v1.LogoutNotifications/ListNotifications": () => ({ count_requested: 1 }),
  "sessionmanagement.v1.LogoutNotifications/RetryNotifications": () => ({ notification_ids: ["999999"] }),
  "sessionmanagement.v1.SessionStore/CreateSession": () => ({ session: { key: unique("matrix-created"), subject_id: "matrix-created" } }),
  "sessionmanagement.v1.SessionStore/GetSession": () => ({ key: "matrix-session" }),
  "sessionmanagement.v1.SessionStore/UpdateSession": () => ({ key: "matrix-session", renewed: now() }),
  "sessionmanagement.v1.SessionStore/DeleteSession": () => ({ key: "matrix-nobody" }),
  "sessionmanagement.v1.SessionStore/GetSessions": () => ({ subject_id: "matrix-subject" }),
  "sessionmanagement.v1.SessionStore/DeleteSessions": () => ({ subject_id: "matrix-nobody" }),
  "sessionmanagement.v1.GrantStore/StoreGrant": () => ({ grant: { key: unique("matrix-stored"), type: "refresh_token", client_id: "web", subject_id: "matrix-subject" } }),
  "sessionmanagement.v1.GrantStore/GetGrant": () => ({ key: "matrix-grant" }),
  "sessionmanagement.v1.GrantStore/ListGrants": () => ({ filter: { subject_id: "matrix-subject" } }),
  "sessionmanagement.v1.GrantStore/RemoveGrant": () => ({ key: "matrix-nobody" }),
  "sessionmanagement.v1.GrantStore/RemoveGrants": () => ({ filter: { subject_id: "matrix-nobody" } }),
  "sessionmanagement.v1.ClientRegistry/PutClient": () => ({ client: { client_id: "matrix-put", backchannel_logout_uri: "https://rp.example.com/logout" } }),
  "sessionmanagement.v1.ClientRegistry/GetClient": () => ({ client_id: "matrix-client" }),
  "sessionmanagement.v1.ClientRegistry/ListClients": () => ({ count_requested: 1 }),
  "sessionmanagement.v1.ClientRegistry/DeleteClient": () => ({ client_id: "matrix-nobody" }),
  "sessionmanagement.v1.AuditLog/ListAuditEvents": () => ({ count_requested: 1 }),
  "sessionmanagement.v1.SessionTermination/PreviewTermination": () => ({ filter: { subject_id: "matrix-nobody" } }),
  "sessionmanagement.v1.SessionTermination/StartTerminationJob": () => ({ idempotency_key: unique("matrix-job"), filter: { subject_id: "matrix-nobody" } }),
  "sessionmanagement.v1.SessionTermination/GetTerminationJob": () => ({ job_id: matrixJobId }),
  "sessionmanagement.v1.SessionTermination/ListTerminationJobs": () => ({ count_requested: 1 }),
  // Cancelling a cancelled job answers with it.
  "sessionmanagement.v1.SessionTermination/CancelTerminationJob": () => ({ job_id: matrixJobId }),
};

async function* listServicesRequest() {
  yield { host: "", messageRequest: { case: "listServices" as const, value: "" } };
}

/** Calls of the health and reflection services, which the generated Connect client makes; each checks what it got. */
const connectCalls: Record<string, (transport: Transport) => Promise<void>> = {
  "grpc.health.v1.Health/Check": async (transport) => {
    await createClient(Health, transport).check({ service: "" });
  },
  "grpc.health.v1.Health/Watch": async (transport) => {
    // The first status is enough: the watch is then cancelled, as a probe would.
    const cancel = new AbortController();
    try {
      for await (const _status of createClient(Health, transport).watch({ service: "" }, { signal: cancel.signal })) return;
      assert.fail("the watch ended without a status");
    } finally {
      cancel.abort();
    }
  },
  "grpc.reflection.v1.ServerReflection/ServerReflectionInfo": async (transport) => {
    for await (const response of createClient(ServerReflectionV1, transport).serverReflectionInfo(listServicesRequest())) {
      assert.equal(response.messageResponse.case, "listServicesResponse");
    }
  },
  "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": async (transport) => {
    for await (const response of createClient(ServerReflectionV1alpha, transport).serverReflectionInfo(listServicesRequest())) {
      assert.equal(response.messageResponse.case, "listServicesResponse");
    }
  },
};

Object.assign(connectCalls, {
  "sessionmanagement.v1.SessionTermination/WatchTerminationJob": async (transport: Transport) => {
    for await (const update of createClient(SessionTermination, transport).watchTerminationJob({ jobId: matrixJobId })) assert.equal(update.job?.jobId, matrixJobId);
  },
  "sessionmanagement.v1.SessionExport/ExportSessions": async (transport: Transport) => {
    for await (const batch of createClient(SessionExport, transport).exportSessions({ filter: { subjectId: "matrix-subject" } })) assert.equal(batch.sessions.length, 1);
  },
});

/** A Connect client interceptor that sends `value` as the whole authorization header. */
function authorizationHeader(value: string): Interceptor {
  return (next) => (request) => {
    request.header.set("authorization", value);
    return next(request);
  };
}

const codeName = (code: grpc.status) => grpc.status[code];
const connectOutcome = (error: unknown): Outcome => {
  const connectError = ConnectError.from(error);
  return { code: connectError.code as number as grpc.status, message: connectError.rawMessage };
};

describe("Authorization of every method", () => {
  let server: TestServer;
  let jwksServer: Server;
  let trusted: Awaited<ReturnType<typeof generateKeyPair>>;
  let stranger: Awaited<ReturnType<typeof generateKeyPair>>;
  let invalid: Credential[];
  let refusal: string;
  const grpcClients = new Map<string, ServiceClient<string>>();
  const transports = new Map<string, Transport>();

  /** An access token as the issuer would sign it, with every permission unless told otherwise. */
  const jwt = (options: { scope?: string; iss?: string; aud?: string; exp?: number | string; key?: "trusted" | "stranger"; kid?: string } = {}) => {
    const key = options.key === "stranger" ? stranger : trusted;
    const issuedAt = typeof options.exp === "number" ? options.exp - 3600 : Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: options.scope ?? everyScope })
      .setProtectedHeader({ alg: "ES256", kid: options.kid ?? "idp-1" })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? audience)
      .setSubject(operator)
      .setIssuedAt(issuedAt)
      .setExpirationTime(options.exp ?? "10m")
      .sign(key.privateKey);
  };

  before(async () => {
    trusted = await generateKeyPair("ES256", { extractable: true });
    stranger = await generateKeyPair("ES256", { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(trusted.publicKey)), kid: "idp-1", alg: "ES256", use: "sig" }] };
    // The issuer's key set, published on loopback.
    jwksServer = createServer((_request, response) => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    server = await startTestServer(sqlite!, {
      jwtIssuer: issuer,
      jwtAudience: audience,
      jwtJwksUrl: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`,
      jwtAlgorithms: "ES256",
    });
    const { stores } = server.db;
    await createSessions(stores, [{ key: "matrix-session", subjectId: "matrix-subject" }]);
    await stores.grants.store(newGrant({ key: "matrix-grant", type: "refresh_token", clientId: "web", subjectId: "matrix-subject" }));
    await stores.clients.put({ clientId: "matrix-client", enabled: true, backchannelLogoutUri: "https://rp.example.com/logout", backchannelLogoutSessionRequired: true });
    matrixJobId = (await recordJob(stores, { filter: { subjectId: "matrix-nobody" } })).id;
    await stores.jobs.cancel(matrixJobId, "matrix", new Date());

    // A token whose scope was widened after signing.
    const [header, , signature] = (await jwt({ scope: "openid" })).split(".");
    const widened = Buffer.from(JSON.stringify({ iss: issuer, aud: audience, sub: operator, exp: Math.floor(Date.now() / 1000) + 600, scope: everyScope })).toString("base64url");
    const past = Math.floor(Date.now() / 1000) - 3600;
    invalid = [
      { name: "no credential", bearer: null },
      { name: "an unknown API key", bearer: generateApiKey() },
      { name: "an expired JWT", bearer: await jwt({ exp: past }) },
      { name: "a JWT from another issuer", bearer: await jwt({ iss: "https://elsewhere.example.com" }) },
      { name: "a JWT for another audience", bearer: await jwt({ aud: "another-service" }) },
      { name: "a JWT signed by a key not in the JWKS", bearer: await jwt({ key: "stranger" }) },
      { name: "a JWT naming a key id the JWKS lacks", bearer: await jwt({ key: "stranger", kid: "idp-2" }) },
      { name: "a JWT altered after signing", bearer: `${header}.${widened}.${signature}` },
    ];
    refusal = (await callerOf("sessionmanagement.v1.SessionManagement/QuerySessions")!(null)).message;
    assert.ok(refusal !== "", "an unauthenticated call is refused with a message");
  });

  after(async () => {
    for (const client of grpcClients.values()) client.close();
    await server?.stop();
    await new Promise<void>((resolve) => (jwksServer ? jwksServer.close(() => resolve()) : resolve()));
  });

  const grpcClient = (service: DescService, bearer: Bearer) => {
    const key = `${service.typeName} ${bearer}`;
    let client = grpcClients.get(key);
    if (client === undefined) {
      client = grpcServiceClient(server.port, basename(service.file.proto.name), service.name, service.methods.map((m) => m.name), { bearer });
      grpcClients.set(key, client);
    }
    return client;
  };

  const transport = (bearer: Bearer) => {
    const key = String(bearer);
    let found = transports.get(key);
    if (found === undefined) {
      found = createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}`, interceptors: bearer === null ? [] : [bearerInterceptor(bearer)] });
      transports.set(key, found);
    }
    return found;
  };

  /** How to call a served method with a given credential; undefined when the matrix has no case for it. */
  function callerOf(name: string): Caller | undefined {
    const served = servedMethods.find((m) => m.name === name);
    if (served === undefined) return undefined;
    const request = requests[name];
    if (request !== undefined) {
      return async (bearer) => {
        const client = grpcClient(served.service, bearer) as unknown as Record<string, UnaryCall>;
        const call = client[served.method[0]!.toLowerCase() + served.method.slice(1)]!;
        try {
          await call(request());
          return ok;
        } catch (error) {
          const failure = error as CallError;
          return { code: failure.code, message: decodeURIComponent(failure.details) };
        }
      };
    }
    const connectCall = connectCalls[name];
    if (connectCall !== undefined) {
      return async (bearer) => {
        try {
          await connectCall(transport(bearer));
          return ok;
        } catch (error) {
          if (error instanceof assert.AssertionError) throw error;
          return connectOutcome(error);
        }
      };
    }
    return undefined;
  }

  /** Calls with each credential; returns "name: CODE" lines, to compare with what is expected. */
  async function outcomes(name: string, credentials: readonly Credential[]) {
    const caller = callerOf(name);
    assert.ok(caller, `no matrix case for ${name}`);
    const results = [];
    for (const credential of credentials) results.push({ credential, outcome: await caller(credential.bearer) });
    return results;
  }
  const lines = (results: { credential: Credential; outcome: Outcome }[]) => results.map(({ credential, outcome }) => `${credential.name}: ${codeName(outcome.code)}`);
  const expecting = (credentials: readonly Credential[], code: grpc.status) => credentials.map((credential) => `${credential.name}: ${codeName(code)}`);

  /** Valid credentials without `permission`: a token with every other scope, and the keys of every other permission. */
  const lacking = async (permission: Permission): Promise<Credential[]> => [
    { name: `a JWT with every scope but ${permission}`, bearer: await jwt({ scope: `openid ${permissions.filter((p) => p !== permission).join(" ")}` }) },
    ...permissions.filter((p) => p !== permission).map((p) => ({ name: `the API key with only ${p}`, bearer: permissionKeys[p] })),
  ];
  /** Credentials that may call a method needing `requirement`. */
  const allowed = async (requirement: Requirement): Promise<Credential[]> =>
    requirement === "authenticated" || requirement === "public"
      ? [
          { name: "a JWT without any permission", bearer: await jwt({ scope: "openid profile" }) },
          ...permissions.map((p) => ({ name: `the API key with only ${p}`, bearer: permissionKeys[p] })),
        ]
      : [
          { name: `a JWT with the ${requirement} scope`, bearer: await jwt({ scope: `openid ${requirement}` }) },
          { name: `the API key with ${requirement}`, bearer: permissionKeys[requirement] },
          { name: "the API key with every permission", bearer: testApiKey },
        ];

  it("should have a matrix case and a requirement for every method served, and no requirement for a method not served", () => {
    const served = servedMethods.map((m) => m.name).sort();
    assert.deepEqual(served.filter((name) => callerOf(name) === undefined), [], "methods without a matrix case");
    assert.deepEqual(served.filter((name) => requirementOf(name.split("/")[0]!, name.split("/")[1]!) === undefined), [], "methods refused to everyone");
    const names = new Set(servedMethods.flatMap((m) => [m.name, m.service.typeName]));
    assert.deepEqual(Object.keys(methodRequirements).filter((entry) => !names.has(entry)), [], "requirements for nothing served");
    assert.deepEqual(Object.keys({ ...requests, ...connectCalls }).filter((name) => !served.includes(name)), [], "matrix cases for nothing served");
  });

  it("should list every served service through reflection, to any valid credential", async () => {
    const listed: string[] = [];
    const client = createClient(ServerReflectionV1, transport(await jwt({ scope: "openid" })));
    for await (const response of client.serverReflectionInfo(listServicesRequest())) {
      if (response.messageResponse.case === "listServicesResponse") listed.push(...response.messageResponse.value.service.map((s) => s.name));
    }
    assert.deepEqual(listed.sort(), allServices.map((s) => s.typeName).sort());
  });

  for (const { name } of servedMethods) {
    const [service, method] = name.split("/") as [string, string];
    const requirement = requirementOf(service, method);
    describe(`${name} (${requirement ?? "no requirement"})`, () => {
      if (requirement === "public") {
        it("should answer without a credential, and whatever credential comes with the call", async () => {
          const credentials = [...invalid, ...(await allowed("public"))];
          assert.deepEqual(lines(await outcomes(name, credentials)), expecting(credentials, grpc.status.OK));
        });
        return;
      }

      it("should refuse missing and invalid credentials with UNAUTHENTICATED, saying nothing of what was wrong", async () => {
        const results = await outcomes(name, invalid);
        assert.deepEqual(lines(results), expecting(invalid, grpc.status.UNAUTHENTICATED));
        assert.deepEqual(new Set(results.map((r) => r.outcome.message)), new Set([refusal]));
      });

      if (requirement !== undefined && requirement !== "authenticated") {
        it(`should refuse valid credentials without ${requirement} with PERMISSION_DENIED`, async () => {
          const credentials = await lacking(requirement);
          assert.deepEqual(lines(await outcomes(name, credentials)), expecting(credentials, grpc.status.PERMISSION_DENIED));
        });
      }

      it(`should serve ${requirement === "authenticated" ? "any valid credential" : `JWTs with the ${requirement} scope and API keys with the permission`}`, async () => {
        const credentials = await allowed(requirement ?? "authenticated");
        const results = await outcomes(name, credentials);
        assert.deepEqual(
          results.map(({ credential, outcome }) => `${credential.name}: ${codeName(outcome.code)}${outcome.message ? ` ${outcome.message}` : ""}`),
          expecting(credentials, grpc.status.OK),
        );
      });
    });
  }

  describe("the authorization header", () => {
    const query = async (header: string): Promise<Outcome> => {
      const client = createClient(SessionManagement, createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}`, interceptors: [authorizationHeader(header)] }));
      try {
        await client.querySessions({ countRequested: 1 });
        return ok;
      } catch (error) {
        return connectOutcome(error);
      }
    };

    it("should take the Bearer scheme in any letter case, after one or more spaces", async () => {
      const token = await jwt({ scope: "sessions.read" });
      for (const header of [`bearer ${testApiKey}`, `BEARER ${token}`, `Bearer   ${permissionKeys["sessions.read"]}`, `bEaReR ${token}`]) {
        assert.deepEqual(await query(header), ok, header);
      }
    });

    it("should refuse a credential with anything around it, another scheme, or none, as it refuses a wrong one", async () => {
      const token = await jwt({ scope: "sessions.read" });
      const basic = Buffer.from(`test-admin:${testApiKey}`).toString("base64");
      for (const header of [
        `Bearer ${testApiKey} garbage`,
        `Bearer ${testApiKey},Bearer ${testApiKey}`,
        `Bearer ${token}.garbage`,
        `Bearer ${token}garbage`,
        `Bearer"${testApiKey}"`,
        `Bearer`,
        `Bearer${testApiKey}`,
        testApiKey,
        token,
        `Basic ${basic}`,
        `Token ${testApiKey}`,
      ]) {
        assert.deepEqual(await query(header), { code: grpc.status.UNAUTHENTICATED, message: refusal }, header);
      }
    });
  });

  describe("the caller's id", () => {
    it("should name the credential's id, never its secret, when it lacks a permission", async () => {
      const token = await jwt({ scope: "sessions.read" });
      const removeSessions = callerOf("sessionmanagement.v1.SessionManagement/RemoveSessions")!;
      const byKey = await removeSessions(permissionKeys["sessions.read"]);
      assert.equal(byKey.code, grpc.status.PERMISSION_DENIED);
      assert.match(byKey.message, /"test-sessions\.read"/);
      assert.match(byKey.message, /sessions\.write/);
      assert.ok(!byKey.message.includes(permissionKeys["sessions.read"]));
      const byToken = await removeSessions(token);
      assert.equal(byToken.code, grpc.status.PERMISSION_DENIED);
      assert.match(byToken.message, new RegExp(`"jwt:${operator}"`));
      assert.ok(!byToken.message.includes(token) && !byToken.message.includes(token.split(".")[2]!));
    });

    it("should record the token's subject and the key's id in the audit trail, never the secrets", async () => {
      const token = await jwt({ scope: "sessions.write" });
      const subject = unique("audited-by-jwt");
      await grpcClient(SessionManagement, token).removeSessions!({ subject_id: subject });
      await grpcClient(SessionManagement, permissionKeys["sessions.write"]).removeSessions!({ subject_id: subject });
      const audit = grpcClient(allServices.find((s) => s.typeName === "sessionmanagement.v1.AuditLog")!, permissionKeys["audit.read"]);
      const { events } = await audit.listAuditEvents!({ method: "sessionmanagement.v1.SessionManagement/RemoveSessions", count_requested: 1000 });
      const mine = (events as Message[]).filter((event) => JSON.parse(event.request_json).subjectId === subject);
      assert.deepEqual(mine.map((event) => event.principal_id), [`jwt:${operator}`, "test-sessions.write"]);
      const recorded = JSON.stringify(events);
      for (const secret of [token, token.split(".")[2]!, testApiKey, ...Object.values(permissionKeys)]) assert.ok(!recorded.includes(secret));
    });
  });
});

describe("Authorization with a configured API keys file", () => {
  let server: TestServer;
  let dir: string;
  const helpdesk = generateApiKey();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "sm-authz-"));
    const file = join(dir, "api-keys.yaml");
    writeFileSync(
      file,
      ["keys:", "  - id: helpdesk", `    sha256: ${sha256(helpdesk).toString("hex")}`, "    permissions: [sessions.read]", ""].join("\n"),
    );
    server = await startTestServer(sqlite!, { apiKeysFile: file });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should keep only hashes in the test keys file, and accept its keys by their hash", () => {
    const text = readFileSync(testApiKeysFile(), "utf8");
    for (const key of [testApiKey, ...Object.values(permissionKeys)]) assert.ok(!text.includes(key));
    assert.deepEqual(
      (JSON.parse(text) as { keys: { id: string }[] }).keys.map((k) => k.id),
      ["test-admin", ...permissions.map((p) => `test-${p}`)],
    );
  });

  it("should accept the keys of the configured file, with their permissions, and no others", async () => {
    const client = (bearer: string) => grpcServiceClient(server.port, "session_management.proto", "SessionManagement", ["QuerySessions", "RemoveSessions"], { bearer });
    const helpdeskClient = client(helpdesk);
    const outsider = client(testApiKey);
    try {
      assert.ok(await helpdeskClient.querySessions({}));
      const denied = (await helpdeskClient.removeSessions({ subject_id: "alice" }).catch((error: CallError) => error)) as CallError;
      assert.equal(denied.code, grpc.status.PERMISSION_DENIED);
      assert.match(decodeURIComponent(denied.details), /"helpdesk"/);
      const refused = (await outsider.querySessions({}).catch((error: CallError) => error)) as CallError;
      assert.equal(refused.code, grpc.status.UNAUTHENTICATED, "a key of another file is not accepted");
    } finally {
      helpdeskClient.close();
      outsider.close();
    }
  });
});
