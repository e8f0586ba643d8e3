import http from "node:http";
import http2 from "node:http2";
import { Code } from "@connectrpc/connect";
import { codeFromString } from "@connectrpc/connect/protocol-connect";

/** One RPC request as bytes on the wire: whatever a client, correct or not, may send. */
export interface RawRequest {
  /** `/package.Service/Method`, with a query string for Connect GET. */
  path: string;
  method?: "POST" | "GET";
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What came back, and the RPC status read from it in the protocol the request used. */
export interface RawAnswer {
  httpStatus: number;
  headers: http.IncomingHttpHeaders;
  trailers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The status, or undefined when the answer carries none. */
  code: Code | undefined;
  message: string;
}

/** Sends raw requests over one connection (HTTP/2) or a keep-alive pool (HTTP/1.1). */
export interface RawTransport {
  readonly name: string;
  /** Rejects when no complete answer arrives within `timeoutMs`. */
  send(request: RawRequest, timeoutMs?: number): Promise<RawAnswer>;
  close(): void;
}

/** A cleartext HTTP/2 (prior knowledge) connection to `port`. */
export function h2cTransport(port: number): RawTransport {
  let session: http2.ClientHttp2Session | undefined;
  const connect = () => {
    if (session === undefined || session.closed || session.destroyed) {
      // Oversized test messages would exceed the default 10 MB of buffered frames.
      session = http2.connect(`http://127.0.0.1:${port}`, { maxSessionMemory: 256 });
      session.on("error", () => undefined);
    }
    return session;
  };
  return {
    name: "h2c",
    send(request, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const stream = connect().request({ ":method": request.method ?? "POST", ":path": request.path, ...request.headers });
        const timer = setTimeout(() => {
          stream.close(http2.constants.NGHTTP2_CANCEL);
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        let headers: http.IncomingHttpHeaders = {};
        let trailers: Record<string, string | string[] | undefined> = {};
        const chunks: Buffer[] = [];
        stream.on("response", (h) => (headers = h as http.IncomingHttpHeaders));
        stream.on("trailers", (t) => (trailers = t as Record<string, string>));
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("error", () => undefined);
        stream.on("close", () => {
          clearTimeout(timer);
          if (headers[":status"] === undefined) return reject(new Error(`stream closed without an answer (code ${stream.rstCode})`));
          resolve(answer(request, Number(headers[":status"]), headers, trailers, Buffer.concat(chunks)));
        });
        stream.end(request.method === "GET" ? undefined : request.body);
      });
    },
    close: () => session?.close(),
  };
}

/** Cleartext HTTP/1.1 to `port`, with keep-alive connections. */
export function http1Transport(port: number): RawTransport {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  return {
    name: "HTTP/1.1",
    send(request, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const outgoing = http.request({ host: "127.0.0.1", port, agent, method: request.method ?? "POST", path: request.path, headers: request.headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            clearTimeout(timer);
            resolve(answer(request, response.statusCode!, response.headers, response.trailers, Buffer.concat(chunks)));
          });
          response.on("error", reject);
        });
        const timer = setTimeout(() => {
          outgoing.destroy();
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        outgoing.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        outgoing.end(request.method === "GET" ? undefined : request.body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Frames messages as gRPC, gRPC-Web and Connect streaming do: a flags byte, a 32-bit length, the bytes. */
export function envelope(message: Uint8Array, flags = 0, length = message.byteLength): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(flags, 0);
  header.writeUInt32BE(length, 1);
  return Buffer.concat([header, message]);
}

function answer(request: RawRequest, httpStatus: number, headers: http.IncomingHttpHeaders, trailers: RawAnswer["trailers"], body: Buffer): RawAnswer {
  const contentType = request.headers["content-type"] ?? "";
  const status = contentType.startsWith("application/grpc-web")
    ? grpcStatus({ ...headers, ...grpcWebTrailer(body) })
    : contentType.startsWith("application/grpc")
      ? grpcStatus({ ...headers, ...trailers })
      : contentType.startsWith("application/connect+")
        ? connectEndStream(body)
        : connectUnary(httpStatus, body);
  return { httpStatus, headers, trailers, body, ...status };
}

function grpcStatus(fields: Record<string, unknown>): Pick<RawAnswer, "code" | "message"> {
  const status = fields["grpc-status"];
  if (typeof status !== "string") return { code: undefined, message: "" };
  const message = typeof fields["grpc-message"] === "string" ? fields["grpc-message"] : "";
  return { code: Number(status) as Code, message: safeDecode(message) };
}

function grpcWebTrailer(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { flags, data } of envelopes(body)) {
    if ((flags & 0x80) === 0) continue;
    for (const line of data.toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return fields;
}

function connectEndStream(body: Buffer): Pick<RawAnswer, "code" | "message"> {
  for (const { flags, data } of envelopes(body)) {
    if ((flags & 0x02) === 0) continue;
    const end = parseJson(data) as { error?: { code?: string; message?: string } } | undefined;
    if (end === undefined) return { code: undefined, message: "" };
    if (end.error === undefined) return { code: 0 as Code, message: "" };
    return { code: codeFromString(end.error.code ?? "") ?? Code.Unknown, message: end.error.message ?? "" };
  }
  return { code: undefined, message: "" };
}

function connectUnary(httpStatus: number, body: Buffer): Pick<RawAnswer, "code" | "message"> {
  if (httpStatus === 200) return { code: 0 as Code, message: "" };
  const error = parseJson(body) as { code?: string; message?: string } | undefined;
  if (error?.code === undefined) return { code: undefined, message: body.toString("utf8").slice(0, 200) };
  return { code: codeFromString(error.code) ?? Code.Unknown, message: error.message ?? "" };
}

function* envelopes(body: Buffer): Generator<{ flags: number; data: Buffer }> {
  for (let offset = 0; offset + 5 <= body.byteLength; ) {
    const length = body.readUInt32BE(offset + 1);
    yield { flags: body[offset]!, data: body.subarray(offset + 5, offset + 5 + length) };
    offset += 5 + length;
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
