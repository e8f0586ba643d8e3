import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import tls from "node:tls";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { testBackends } from "../support/backends.js";
import { makeTestCertificates, pem, type TestCertificates } from "../support/certificates.js";
import { eventually } from "../support/eventually.js";
import { envelope } from "../support/raw-rpc.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { testApiKey } from "../support/test-credentials.js";

const [sqlite] = await testBackends();

const removeSessions = "/sessionmanagement.v1.SessionManagement/RemoveSessions";
const querySessions = "/sessionmanagement.v1.SessionManagement/QuerySessions";
const oversized = 5 * 1024 * 1024;

/** A RemoveSessionsRequest whose subject_id is `size` bytes: over the 4 MiB limit at 5 MiB. */
function bigRemoveRequest(size = oversized): Buffer {
  const length: number[] = [];
  for (let v = size; ; v >>>= 7) {
    if (v < 128) {
      length.push(v);
      break;
    }
    length.push((v & 127) | 128);
  }
  return Buffer.concat([Buffer.from([0x0a, ...length]), Buffer.alloc(size, 0x61)]);
}

/**
 * Sends `count` oversized gRPC requests on one HTTP/2 session, each written
 * in full (the client then waits on flow control, as real clients do), and
 * reports how many were answered and how many of their streams were still
 * open once every answer was in.
 */
async function oversizedStreams(session: http2.ClientHttp2Session, count: number) {
  // Streams opened before the server's settings arrive may be refused.
  await new Promise((resolve) => session.once("remoteSettings", resolve));
  const body = envelope(Buffer.alloc(oversized));
  const streams = Array.from({ length: count }, () => {
    const stream = session.request({ ":method": "POST", ":path": removeSessions, "content-type": "application/grpc", te: "trailers" });
    const state = { status: undefined as string | undefined, closed: false, rstCode: 0 };
    stream.on("trailers", (trailers) => (state.status = String(trailers["grpc-status"])));
    stream.on("response", (headers) => (state.status ??= headers["grpc-status"] as string | undefined));
    stream.on("close", () => {
      state.closed = true;
      state.rstCode = stream.rstCode ?? 0;
    });
    stream.on("error", () => undefined);
    stream.resume();
    stream.write(body);
    return state;
  });
  await eventually("an answer on every stream, or its refusal", () => (streams.every((s) => s.status !== undefined || s.closed) ? true : undefined), 60_000);
  const openAtLastAnswer = streams.filter((s) => !s.closed).length;
  return { streams, openAtLastAnswer };
}

describe("requests answered before they were read to the end", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(sqlite!);
  });
  after(async () => {
    await server?.stop();
  });

  it("should leave a grpc-js channel usable after 120 oversized calls", { timeout: 120_000 }, async () => {
    // Pre-encoded messages (a generic client), so that the client does not
    // spend its time encoding 600 MB: the framing, flow control and stream
    // handling are grpc-js's own.
    const client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const call = (path: string, body: Buffer, deadlineMs: number) =>
      new Promise<grpc.status>((resolve) => {
        const metadata = new grpc.Metadata();
        metadata.set("authorization", `Bearer ${testApiKey}`);
        const identity = (bytes: Buffer) => bytes;
        client.makeUnaryRequest(path, identity, identity, body, metadata, { deadline: Date.now() + deadlineMs }, (error) => resolve(error ? error.code : grpc.status.OK));
      });
    const big = bigRemoveRequest();
    const started = Date.now();
    const codes = await Promise.all(Array.from({ length: 120 }, () => call(removeSessions, big, 60_000)));
    const oversizedMs = Date.now() - started;
    const normalStarted = Date.now();
    const normal = await call(querySessions, Buffer.alloc(0), 10_000);
    console.log(`grpc-js, one channel: 120 oversized calls answered in ${oversizedMs} ms; the next call: ${grpc.status[normal]} after ${Date.now() - normalStarted} ms`);
    client.close();
    assert.deepEqual(new Set(codes), new Set([grpc.status.RESOURCE_EXHAUSTED]));
    assert.equal(normal, grpc.status.OK);
  });

  it("should close each stream right after its answer (HTTP/2, cleartext)", { timeout: 120_000 }, async () => {
    const session = http2.connect(`http://127.0.0.1:${server.port}`, { maxSessionMemory: 1024 });
    session.on("error", () => undefined);
    const { streams, openAtLastAnswer } = await oversizedStreams(session, 120);
    await eventually("every stream closed", () => (streams.every((s) => s.closed) ? true : undefined), 10_000);
    console.log(`raw HTTP/2: 120 oversized requests on one connection; streams still open when the last answer arrived: ${openAtLastAnswer}; after that: 0`);
    assert.deepEqual(new Set(streams.map((s) => s.status)), new Set(["8"]));
    assert.deepEqual(new Set(streams.map((s) => s.rstCode)), new Set([http2.constants.NGHTTP2_NO_ERROR]));
    session.destroy();
  });

  it("should keep an HTTP/1.1 connection in step after answering early", { timeout: 60_000 }, async () => {
    // gRPC-Web: the framework reads the first bytes, sees the size and answers.
    const socket = net.connect(server.httpPort, "127.0.0.1");
    const answers = await twoRequestsOnOneConnection(socket, server.port);
    assert.match(answers, /grpc-status: 8/);
    assert.match(answers, /HTTP\/1\.1 200 OK[\s\S]*"totalCount"|HTTP\/1\.1 200 OK[\s\S]*\{/);
  });
});

describe("requests answered early, over TLS", () => {
  let certificates: TestCertificates;
  let server: TestServer;
  before(async () => {
    certificates = makeTestCertificates();
    server = await startTestServer(sqlite!, { tlsCertFile: certificates.serverCert, tlsKeyFile: certificates.serverKey, maxConcurrentStreams: 4 });
  });
  after(async () => {
    await server?.stop();
    certificates?.remove();
  });

  it("should close each stream right after its answer (HTTP/2)", { timeout: 60_000 }, async () => {
    const session = http2.connect(`https://127.0.0.1:${server.port}`, { ca: pem(certificates.caCert), servername: "localhost", maxSessionMemory: 1024 });
    session.on("error", () => undefined);
    // Twice the connection's stream limit: the second half needs the first
    // half's slots (or is refused: Node's HTTP/2 session refuses streams
    // when the data it holds for the connection exceeds its memory limit).
    const { streams } = await oversizedStreams(session, 8);
    await eventually("every stream closed", () => (streams.every((s) => s.closed) ? true : undefined), 10_000);
    const answered = streams.filter((s) => s.status !== undefined);
    assert.ok(answered.length > 0, "some answered");
    assert.deepEqual(new Set(answered.map((s) => s.status)), new Set(["8"]));
    session.destroy();
  });

  it("should keep an HTTP/1.1 connection in step after answering early", { timeout: 60_000 }, async () => {
    const socket = tls.connect({ host: "127.0.0.1", port: server.port, ca: pem(certificates.caCert), servername: "localhost", ALPNProtocols: ["http/1.1"] });
    const answers = await twoRequestsOnOneConnection(socket, server.port);
    assert.match(answers, /grpc-status: 8/);
  });
});

/**
 * An oversized gRPC-Web request sent in full, then a QuerySessions on the
 * same HTTP/1.1 connection; resolves with everything the server sent once
 * the second answer is complete.
 */
async function twoRequestsOnOneConnection(socket: net.Socket, port: number): Promise<string> {
  socket.on("error", () => undefined);
  let received = "";
  const second = new Promise<string>((resolve, reject) => {
    socket.on("data", (data: Buffer) => {
      received += data.toString("latin1");
      if ((received.match(/HTTP\/1\.1 /g) ?? []).length === 2 && /\r\n\r\n\{[^]*\}$/.test(received)) resolve(received);
    });
    socket.on("close", () => reject(new Error(`connection closed; received: ${received.slice(0, 500)}`)));
  });
  const body = envelope(Buffer.alloc(oversized));
  socket.write(
    `POST ${removeSessions} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/grpc-web+proto\r\nauthorization: Bearer ${testApiKey}\r\ncontent-length: ${body.byteLength}\r\n\r\n`,
  );
  socket.write(body);
  socket.write(
    `POST ${querySessions} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\nauthorization: Bearer ${testApiKey}\r\ncontent-length: 2\r\n\r\n{}`,
  );
  const timer = setTimeout(() => socket.destroy(), 20_000);
  try {
    return await second;
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}
