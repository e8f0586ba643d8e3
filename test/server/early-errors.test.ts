import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code } from "@connectrpc/connect";
import { pino } from "pino";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { envelope, h2cTransport, http1Transport, type RawAnswer, type RawTransport } from "../support/raw-rpc.js";
import { testConfig } from "../support/server.js";
import { testApiKey } from "../support/test-credentials.js";

const [sqlite] = await testBackends();

const service = "sessionmanagement.v1.SessionManagement";
const malformedBinary = "malformed request: not a valid sessionmanagement.v1.RemoveSessionsRequest in binary Protobuf";
const malformedJson = "malformed request: not a valid sessionmanagement.v1.RemoveSessionsRequest in JSON";
// Words of protobuf-es's and JSON.parse's error messages, which must not reach clients.
const parserWords = /parse binary|premature|illegal tag|wire type|invalid utf-?8|EOF|cannot decode|Unexpected token|JSON at position|depth/i;

const protocols = {
  gRPC: { "content-type": "application/grpc", te: "trailers" },
  "gRPC-Web": { "content-type": "application/grpc-web+proto" },
  Connect: { "content-type": "application/proto" },
} as const;
type Protocol = keyof typeof protocols;

/** Bad request bodies: a message as it is sent (Connect unary) and as gRPC and gRPC-Web frame it. */
const nestedGroups = Buffer.concat([Buffer.alloc(5000, 0x0b), Buffer.alloc(5000, 0x0c)]);
const variants: Record<string, { message: Buffer; framed?: Buffer; expect?: Partial<Record<Protocol, { code: Code; message: string }>> }> = {
  "a JSON body labelled as binary Protobuf": { message: Buffer.from('{"subjectId":"alice"}') },
  "invalid UTF-8 in a string field": { message: Buffer.from([0x0a, 0x02, 0xc3, 0x28]) },
  "a length shorter than the message (premature end)": {
    message: Buffer.from([0x0a, 0x0a, 0x61, 0x62, 0x63]),
    framed: envelope(Buffer.from([0x0a, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65]), 0, 3),
  },
  "5,000 nested groups": { message: nestedGroups },
  "a compressed flag without grpc-encoding": {
    message: Buffer.from([0x0a, 0x01, 0x61]),
    framed: envelope(Buffer.from([0x0a, 0x01, 0x61]), 1),
    // gRPC's compression spec: "MUST fail with INTERNAL status".
    expect: {
      gRPC: { code: Code.Internal, message: "protocol error: a message is flagged as compressed, but grpc-encoding names no compression" },
      "gRPC-Web": { code: Code.Internal, message: "protocol error: a message is flagged as compressed, but grpc-encoding names no compression" },
    },
  },
};

describe("requests the framework cannot read", () => {
  let db: TestDatabase;
  let server: RunningServer;
  const lines: Array<Record<string, unknown>> = [];
  before(async () => {
    db = await sqlite!.open();
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    server = await startServer(testConfig({ databaseUrl: db.url }), db.stores, logger);
  });
  after(async () => {
    await server?.close();
    await db?.drop();
  });

  /** How many calls of `method` ended with `code`, from the server's /metrics. */
  const handled = async (method: string, code: Code) => {
    const text = await (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`grpc_server_handled_total{grpc_service="${service}",grpc_method="${method}",grpc_code="${Code[code]}"}`));
    return line === undefined ? 0 : Number(line.split(" ").pop());
  };
  const callLines = (method: string, code: Code) => lines.filter((l) => l.msg === "call" && l.method === `${service}/${method}` && l.code === Code[code]).length;

  /** Sends, and checks the status, that no parser words leak, and that the call was logged and counted once. */
  const check = async (transport: RawTransport, headers: Record<string, string>, body: Buffer, expected: { code: Code; message: string | RegExp }, method = "RemoveSessions") => {
    const [countBefore, linesBefore] = [await handled(method, expected.code), callLines(method, expected.code)];
    const answer: RawAnswer = await transport.send({ path: `/${service}/${method}`, headers: { authorization: `Bearer ${testApiKey}`, ...headers }, body });
    assert.equal(answer.code, expected.code, `code; message: ${answer.message}`);
    if (typeof expected.message === "string") assert.equal(answer.message, expected.message);
    else assert.match(answer.message, expected.message);
    assert.doesNotMatch(answer.message, parserWords);
    assert.equal(callLines(method, expected.code), linesBefore + 1, "one log line");
    assert.equal(await handled(method, expected.code), countBefore + 1, "counted once");
    return answer;
  };

  for (const [listener, transportFor] of [
    ["the h2c port", (s: RunningServer) => h2cTransport(s.port)],
    ["the HTTP/1.1 port", (s: RunningServer) => http1Transport(s.httpPort)],
  ] as const) {
    describe(`on ${listener}`, () => {
      let transport: RawTransport;
      before(() => {
        transport = transportFor(server);
      });
      after(() => transport?.close());

      for (const [protocol, headers] of Object.entries(protocols) as Array<[Protocol, Record<string, string>]>) {
        for (const [name, variant] of Object.entries(variants)) {
          // Connect unary messages have no compressed flag.
          if (protocol === "Connect" && name.includes("compressed")) continue;
          it(`should answer ${name} over ${protocol} with a generic status, logged and counted`, async () => {
            const body = protocol === "Connect" ? variant.message : (variant.framed ?? envelope(variant.message));
            const answer = await check(transport, headers, body, variant.expect?.[protocol] ?? { code: Code.InvalidArgument, message: malformedBinary });
            if (protocol === "Connect") assert.equal(answer.httpStatus, 400);
          });
        }
      }

      it("should answer a Connect body that is not gzip despite content-encoding: gzip with INVALID_ARGUMENT", async () => {
        await check(transport, { "content-type": "application/proto", "content-encoding": "gzip" }, Buffer.from("not gzip"), {
          code: Code.InvalidArgument,
          message: "decompression failed",
        });
      });

      it("should answer malformed JSON as malformed binary is answered, naming the field where it can", async () => {
        await check(transport, { "content-type": "application/json" }, Buffer.from('{"subjectId":'), { code: Code.InvalidArgument, message: malformedJson });
        await check(transport, { "content-type": "application/grpc+json", te: "trailers" }, envelope(Buffer.from("[1,")), { code: Code.InvalidArgument, message: malformedJson });
        await check(transport, { "content-type": "application/json" }, Buffer.from('{"subjectId":5}'), {
          code: Code.InvalidArgument,
          message: "malformed request: subject_id: not a valid value",
        });
      });

      it("should answer JSON whose parser error quotes a lone surrogate, which gRPC's grpc-message cannot carry", async () => {
        // The framework failed to percent-encode its own answer and sent nothing: the client waited for ever.
        const body = envelope(Buffer.from('{"subjectId":{"x":"\\ud800"}}'));
        const expected = { code: Code.InvalidArgument, message: "malformed request: subject_id: not a valid value" };
        await check(transport, { "content-type": "application/grpc+json", te: "trailers" }, body, expected);
        await check(transport, { "content-type": "application/grpc-web+json" }, body, expected);
      });

      it("should log and count oversized requests", async () => {
        await check(transport, { "content-type": "application/proto" }, Buffer.alloc(4 * 1024 * 1024 + 1), {
          code: Code.ResourceExhausted,
          // With a content-length (HTTP/1.1), before reading; without one, after.
          message: /^message size (4194305 )?is larger than configured readMaxBytes 4194304$/,
        });
      });

      it("should keep answering well-formed calls", async () => {
        const answer = await transport.send({ path: `/${service}/QuerySessions`, headers: { "content-type": "application/json", authorization: `Bearer ${testApiKey}` }, body: Buffer.from("{}") });
        assert.equal(answer.code, 0, "OK");
      });
    });
  }

  it("should answer a streaming call's malformed message the same way", async () => {
    const transport = h2cTransport(server.port);
    const answer = await transport.send({
      path: "/grpc.health.v1.Health/Watch",
      headers: { "content-type": "application/grpc", te: "trailers" },
      body: envelope(Buffer.from([0x0a, 0x0a, 0x61])),
    });
    transport.close();
    assert.equal(answer.code, Code.InvalidArgument);
    assert.equal(answer.message, "malformed request: not a valid grpc.health.v1.HealthCheckRequest in binary Protobuf");
  });

  it("should log what the parser said, for the operator", () => {
    const line = lines.find((l) => l.msg === "call" && typeof l.cause === "string" && (l.cause as string).startsWith("parse binary: "));
    assert.ok(line, "a call line with the parser's message as cause");
    assert.equal(line.level, 30, "at info: the request is at fault, not the server");
    assert.match(String(line.requestId), /^[\w-]+$/);
  });
});
