import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, describe, it } from "node:test";
import { create, toBinary, toJsonString, type DescMethod } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { pino } from "pino";
import { allServices } from "../../src/server/routes.js";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { envelope, h2cTransport, http1Transport, type RawAnswer, type RawRequest, type RawTransport } from "../support/raw-rpc.js";
import { testConfig } from "../support/server.js";
import { sessionManagementClient } from "../support/grpc-client.js";
import { testApiKey } from "../support/test-credentials.js";

/**
 * Protocol-level fuzzing: random and mutated requests for every method of
 * every service, over gRPC, gRPC-Web and Connect (binary and JSON), on the
 * h2c and the HTTP/1.1 port, with and without credentials. The server must
 * answer each within a deadline, never with INTERNAL or UNKNOWN for what is
 * the client's fault, never with a parser's, the database's or a stack's
 * words, and keep serving afterwards.
 *
 * Bounded in count and time, and seeded: the seed is printed, and
 * FUZZ_SEED=<seed> replays a run (FUZZ_COUNT and FUZZ_BUDGET_MS change the
 * bounds).
 */
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const count = Number(process.env.FUZZ_COUNT ?? 1500);
const budgetMs = Number(process.env.FUZZ_BUDGET_MS ?? 25_000);
const answerWithinMs = 10_000;

// What must never reach a client: parsers' messages, SQL and driver errors, stack frames.
const leaks = [
  /parse binary|premature|illegal tag|wire type|invalid utf-?8|cannot decode|Unexpected token|JSON at position|QueryFailedError|node_modules|TypeError|RangeError|ReferenceError/i,
  /SQLITE_|\bER_[A-Z_]+|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|\n\s+at /,
];
// The one INTERNAL a client can cause, as gRPC's compression spec requires.
const compressedFlagMessage = /^protocol error: a message is flagged as compressed/;

const [sqlite] = await testBackends();

/** mulberry32: small, fast and reproducible. */
function random(seedValue: number) {
  let state = seedValue >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]!, bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))) };
}
type Random = ReturnType<typeof random>;

interface Method {
  path: string;
  desc: DescMethod;
  streaming: boolean;
  get: boolean;
}

const methods: Method[] = allServices.flatMap((service) =>
  service.methods.map((desc) => ({
    path: `/${service.typeName}/${desc.name}`,
    desc,
    streaming: desc.methodKind !== "unary",
    get: desc.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS,
  })),
);

/** A message's bytes, mutated: bits flipped, bytes inserted, dropped or overwritten, cut short, or replaced by noise. */
function mutate(r: Random, bytes: Buffer): Buffer {
  let out = Buffer.from(bytes);
  for (let rounds = 1 + r.int(4); rounds > 0; rounds--) {
    const at = r.int(out.length + 1);
    switch (r.int(7)) {
      case 0:
        if (out.length > 0) out[at % out.length]! ^= 1 << r.int(8);
        break;
      case 1:
        out = Buffer.concat([out.subarray(0, at), r.bytes(1 + r.int(8)), out.subarray(at)]);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + r.int(4))]);
        break;
      case 3:
        out = out.subarray(0, at);
        break;
      case 4:
        if (out.length > 0) out[at % out.length] = r.pick([0x00, 0x7f, 0x80, 0xff, 0x0b, 0x0c, 0x0a, 0x12]);
        break;
      case 5:
        out = Buffer.concat([out, r.pick([Buffer.alloc(50, 0x0b), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.from('{"a":'), Buffer.from([0xc3, 0x28])])]);
        break;
      default:
        out = r.bytes(r.int(64));
    }
  }
  return out;
}

/** A message for the method: its empty form, or a few random fields set by their JSON names, in either encoding. */
function message(r: Random, method: Method, json: boolean): Buffer {
  const empty = create(method.desc.input);
  if (json) {
    const fields = method.desc.input.fields;
    if (fields.length === 0 || r.int(3) === 0) return Buffer.from(toJsonString(method.desc.input, empty));
    const object: Record<string, unknown> = {};
    for (let n = 1 + r.int(3); n > 0; n--) {
      const field = r.pick(fields);
      object[field.jsonName] = r.pick<unknown>(["", "x".repeat(r.int(300)), -1, 0, 2 ** 31, 1.5, true, null, [], {}, "2026-01-01T00:00:00Z", "\ud800", ["a", 1]]);
    }
    return Buffer.from(JSON.stringify(object));
  }
  return Buffer.from(toBinary(method.desc.input, empty));
}

type Protocol = "grpc" | "grpc-web" | "connect" | "connect-get";

/** One random request, with a description for the failure report. */
function randomRequest(r: Random): { request: RawRequest; transport: "h2c" | "http1"; protocol: Protocol; method: Method; what: string } {
  const method = r.pick(methods);
  const protocol: Protocol = method.get && r.int(8) === 0 ? "connect-get" : r.pick(["grpc", "grpc-web", "connect"] as const);
  const json = r.int(3) === 0;
  const transport = r.pick(["h2c", "http1"] as const);
  const body = r.int(4) === 0 ? message(r, method, json) : mutate(r, message(r, method, json));
  const headers: Record<string, string> = {};
  const credentials = r.pick(["valid", "none", "garbage"] as const);
  if (credentials === "valid") headers.authorization = `Bearer ${testApiKey}`;
  if (credentials === "garbage") headers.authorization = r.pick(["Bearer ", "Bearer smk_nope", "Basic Zm9vOmJhcg==", `Bearer ${"x".repeat(5000)}`]);
  // Deadlines: streaming calls (health Watch) otherwise run until the client leaves.
  const timeout = method.streaming ? r.pick(["500m", "1S", "2S", "abc", "-1S", "1n", "999999999S"]) : r.pick([undefined, undefined, "5S", "1n", "1u", "0m", "abc", "99999999H", "1.5S"]);
  let framing = "";
  const frame = (payload: Buffer) => {
    switch (r.int(8)) {
      case 0:
        framing = " compressed-flag";
        return envelope(payload, 1);
      case 1: {
        const length = r.int(payload.length + 10);
        framing = ` length=${length}`;
        return envelope(payload, 0, length);
      }
      case 2:
        framing = " two-messages";
        return Buffer.concat([envelope(payload), envelope(payload)]);
      case 3:
        framing = " flags=0x80";
        return envelope(payload, r.pick([0x80, 0x02, 0x7e]));
      case 4:
        framing = " no-envelope";
        return r.int(2) === 0 ? Buffer.alloc(0) : payload.subarray(0, r.int(5));
      default:
        return envelope(payload);
    }
  };
  let path = method.path;
  let sent = body;
  switch (protocol) {
    case "grpc":
      headers["content-type"] = json ? "application/grpc+json" : r.pick(["application/grpc", "application/grpc+proto"]);
      headers.te = "trailers";
      if (timeout !== undefined) headers["grpc-timeout"] = timeout;
      if (r.int(10) === 0) headers["grpc-encoding"] = r.pick(["gzip", "identity", "zstd", "br"]);
      sent = frame(body);
      break;
    case "grpc-web":
      headers["content-type"] = json ? "application/grpc-web+json" : r.pick(["application/grpc-web", "application/grpc-web+proto"]);
      if (timeout !== undefined) headers["grpc-timeout"] = timeout;
      if (r.int(10) === 0) headers["grpc-encoding"] = r.pick(["gzip", "identity", "zstd"]);
      sent = frame(body);
      break;
    case "connect":
      if (method.streaming) {
        headers["content-type"] = json ? "application/connect+json" : "application/connect+proto";
        if (r.int(10) === 0) headers["connect-content-encoding"] = r.pick(["gzip", "identity", "zstd"]);
        sent = frame(body);
      } else {
        headers["content-type"] = json ? "application/json" : "application/proto";
        if (r.int(10) === 0) headers["content-encoding"] = r.pick(["gzip", "br", "identity", "zstd"]);
      }
      headers["connect-protocol-version"] = "1";
      if (timeout !== undefined) headers["connect-timeout-ms"] = r.pick(["100", "5000", "abc", "-5", "99999999999", "1.5"]);
      break;
    case "connect-get": {
      const query = new URLSearchParams({ connect: "v1", encoding: json ? "json" : "proto" });
      if (json) query.set("message", body.toString("utf8"));
      else {
        query.set("message", body.toString("base64url"));
        query.set("base64", "1");
      }
      if (r.int(10) === 0) query.set("compression", r.pick(["gzip", "zstd"]));
      path = `${method.path}?${query.toString()}`;
      sent = Buffer.alloc(0);
      break;
    }
  }
  const what = `${transport} ${protocol}${json ? "+json" : ""} ${method.path} credentials=${credentials}${framing} timeout=${timeout ?? "-"} body=${sent.subarray(0, 48).toString("hex")}${sent.length > 48 ? "…" : ""} (${sent.length} bytes)`;
  return { request: { path, method: protocol === "connect-get" ? "GET" : "POST", headers, body: sent }, transport, protocol, method, what };
}

/** Why an answer breaks the rules, or undefined. */
function violation(answer: RawAnswer): string | undefined {
  // Not an RPC answer: an unsupported media type or method, or a
  // bidirectional stream over HTTP/1.1 (505), which the framework answers with HTTP alone.
  if (answer.code === undefined) return [404, 405, 415, 505].includes(answer.httpStatus) ? undefined : `no status (HTTP ${answer.httpStatus})`;
  if (leaks.some((leak) => leak.test(answer.message))) return `leaks internals: ${JSON.stringify(answer.message)}`;
  if (answer.code === Code.Unknown) return `UNKNOWN: ${JSON.stringify(answer.message)}`;
  if (answer.code === Code.Internal && !compressedFlagMessage.test(answer.message)) return `INTERNAL: ${JSON.stringify(answer.message)}`;
  return undefined;
}

describe(`protocol fuzzing (seed ${seed})`, () => {
  let db: TestDatabase;
  let server: RunningServer;
  const errorLines: Array<Record<string, unknown>> = [];
  before(async () => {
    console.log(`fuzz seed: ${seed} (re-run with FUZZ_SEED=${seed})`);
    db = await sqlite!.open();
    // The log is kept for errors only: an error line means the server thinks it failed.
    const logger = pino({ level: "error" }, { write: (line: string) => void errorLines.push(JSON.parse(line) as Record<string, unknown>) });
    server = await startServer(testConfig({ databaseUrl: db.url, maxTimeoutMs: 60_000 }), db.stores, logger);
  });
  after(async () => {
    await server?.close();
    await db?.drop();
  });

  it("should answer every random or mutated request in time, with a proper status and no internals", { timeout: budgetMs + 60_000 }, async () => {
    const r = random(seed);
    const transports: Record<"h2c" | "http1", RawTransport> = { h2c: h2cTransport(server.port), http1: http1Transport(server.httpPort) };
    const failures: string[] = [];
    const codes = new Map<string, number>();
    // Drawn from the seed up front, so that request #n is the same in every run of a seed.
    const requests = Array.from({ length: count }, () => randomRequest(r));
    const started = Date.now();
    let sent = 0;
    const worker = async () => {
      while (sent < count && Date.now() - started < budgetMs) {
        const index = sent++;
        const { request, transport, what } = requests[index]!;
        try {
          const answer = await transports[transport].send(request, answerWithinMs);
          const key = answer.code === undefined ? `HTTP ${answer.httpStatus}` : answer.code === Code.Internal ? `Internal: ${answer.message}` : (Code[answer.code] ?? "OK");
          codes.set(key, (codes.get(key) ?? 0) + 1);
          const problem = violation(answer);
          if (problem !== undefined) failures.push(`#${index} ${what}: ${problem}`);
        } catch (error) {
          failures.push(`#${index} ${what}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    for (const transport of Object.values(transports)) transport.close();
    console.log(`fuzz: ${sent} requests in ${Date.now() - started} ms; answers: ${JSON.stringify(Object.fromEntries([...codes].sort()))}`);
    assert.deepEqual(failures.slice(0, 20), [], `seed ${seed}: ${failures.length} of ${sent} requests broke the rules`);
    const errors = errorLines.map((line) => `${String(line.msg)}: ${JSON.stringify(line.err ?? line)}`.slice(0, 300));
    assert.deepEqual(errors.slice(0, 10), [], `seed ${seed}: the server logged errors`);
  });

  it("should free a connection's stream slots after more oversized requests than it has slots", { timeout: 60_000 }, async () => {
    // Each request declares a 5 MiB message and sends only its first bytes:
    // the server answers on seeing the size, and must then end the stream.
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on("error", () => undefined);
    await new Promise((resolve) => session.once("remoteSettings", resolve));
    const oversized = (index: number) =>
      new Promise<string>((resolve) => {
        const stream = session.request({ ":method": "POST", ":path": methods[index % methods.length]!.path, "content-type": "application/grpc", te: "trailers" });
        let status = "none";
        stream.on("trailers", (trailers) => (status = String(trailers["grpc-status"])));
        stream.on("response", (headers) => (status = String(headers["grpc-status"] ?? status)));
        stream.on("error", () => undefined);
        stream.on("close", () => resolve(status));
        stream.resume();
        stream.write(envelope(Buffer.alloc(32 * 1024), 0, 5 * 1024 * 1024));
      });
    const statuses = await Promise.all(Array.from({ length: 150 }, (_, index) => oversized(index)));
    const tally = statuses.reduce<Record<string, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
    // Streaming methods check credentials before they read a message.
    assert.ok(Object.keys(tally).every((status) => [String(Code.ResourceExhausted), String(Code.Unauthenticated)].includes(status)), JSON.stringify(tally));
    session.close();
  });

  it("should still serve a normal call afterwards", async () => {
    const client = sessionManagementClient(server.port);
    const response = await client.querySessions({ subject_id: "nobody" }, { deadlineMs: 10_000 });
    client.close();
    assert.equal(response.total_count, 0);
  });
});
