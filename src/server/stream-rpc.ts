import http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { resetOnceAnswered } from "./early-answer.js";
import { withReencodedGrpcMessage } from "./grpc-message-encoding.js";
import type { RpcAdapter } from "./rpc-adapter.js";
import { capRequestedTimeout } from "./timeout-header.js";

const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM, NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_NO_ERROR, NGHTTP2_STREAM_CLOSED } = http2.constants;

/** Serves an HTTP/2 stream when it is an RPC it can take; returns false, untouched, otherwise. */
export type StreamRpcListener = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

/**
 * Serves RPCs straight from HTTP/2 streams, without Node's request and
 * response compatibility objects: the request's headers and body go to the
 * framework's handler as they are, and its answer is written to the stream
 * (headers once the first bytes are ready, the body with flow control, then
 * the trailers). It takes POSTs to an RPC's path without an Origin or Expect
 * header; everything else (browsers' requests and their CORS, GETs, the
 * pages that are not RPCs) is left to the request listener.
 *
 * A call's signal is aborted when its stream closes before the answer is
 * out (the client cancelled or reset it, or the connection went away), not
 * when it ends normally: the framework unlinks its own signal when the call
 * ends, so nothing would hear it.
 */
export function createStreamRpcListener(adapter: RpcAdapter): StreamRpcListener {
  return (stream, headers) => {
    if (headers[":method"] !== "POST" || headers.origin !== undefined || headers.expect !== undefined) return false;
    const handler = adapter.handler(headers[":path"]?.split("?", 2)[0] ?? "");
    if (handler === undefined) return false;
    stream.on("error", ignore);
    const authority = headers[":authority"] ?? headers.host;
    if (authority === undefined) {
      stream.respond({ ":status": 400 }, { endStream: true });
      return true;
    }
    const grpc = headers["content-type"]?.startsWith("application/grpc") === true;
    const socket = stream.session!.socket;
    const abort = new AbortController();
    let answered = false;
    stream.once("close", () => {
      if (!answered) abort.abort(resetError(stream.rstCode));
    });
    const request: UniversalServerRequest = {
      httpVersion: "2.0",
      method: "POST",
      url: `${"encrypted" in socket ? "https" : "http"}://${authority}${headers[":path"]}`,
      header: webHeaders(headers),
      body: readBody(stream),
      signal: abort.signal,
      contextValues: adapter.contextValues(socket),
    };
    if (adapter.maxTimeoutMs !== undefined) capRequestedTimeout(request.header, adapter.maxTimeoutMs);
    handler(request)
      .then((answer) => writeAnswer(stream, answer, grpc))
      .then(() => {
        answered = true;
      })
      .catch((reason: unknown) => {
        answered = true;
        if (stream.destroyed || ConnectError.from(reason).code === Code.Aborted) return;
        adapter.logger.warn({ err: reason, procedure: handler.requestPath }, "writing the answer failed");
        stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      });
    return true;
  };
}

function ignore(): void {}

// As gRPC clients read a reset (CANCEL is the usual one: the client gave up).
function resetError(code: number): ConnectError {
  const message = `http/2 stream closed with error code ${code}`;
  if (code === NGHTTP2_REFUSED_STREAM) return new ConnectError(message, Code.Unavailable);
  if (code === NGHTTP2_ENHANCE_YOUR_CALM) return new ConnectError(message, Code.ResourceExhausted);
  if (code === NGHTTP2_CANCEL || code === NGHTTP2_NO_ERROR || code === NGHTTP2_STREAM_CLOSED) return new ConnectError(message, Code.Canceled);
  return new ConnectError(message, Code.Internal);
}

function webHeaders(headers: http2.IncomingHttpHeaders): Headers {
  const header = new Headers();
  for (const key in headers) {
    if (key.charCodeAt(0) === 0x3a) continue; // a pseudo-header (":path")
    const value = headers[key];
    if (typeof value === "string") header.append(key, value);
    else if (value !== undefined) for (const item of value) header.append(key, item);
  }
  return header;
}

function nodeHeaders(init: HeadersInit | undefined, grpc: boolean): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  if (init === undefined) return out;
  const header = init instanceof Headers ? init : new Headers(init);
  header.forEach((value, key) => {
    out[key] = value;
  });
  return grpc ? withReencodedGrpcMessage(out) : out;
}

// The request body as the framework reads it. The stream stays open when the
// framework stops reading early (an oversized message): the answer still has
// to go out on it.
async function* readBody(stream: http2.ServerHttp2Stream): AsyncIterable<Uint8Array> {
  yield* stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
}

// Headers go out with the first bytes of the body (or its end), so that the
// handler can still set them until then; trailers after the last bytes.
async function writeAnswer(stream: http2.ServerHttp2Stream, answer: UniversalServerResponse, grpc: boolean): Promise<void> {
  const it = answer.body?.[Symbol.asyncIterator]();
  let writing = false;
  try {
    let chunk = it === undefined ? undefined : await it.next();
    if (stream.destroyed || stream.closed) return;
    const trailer = answer.trailer === undefined ? undefined : nodeHeaders(answer.trailer, grpc);
    const header = nodeHeaders(answer.header, grpc);
    header[":status"] = answer.status;
    const waitForTrailers = trailer !== undefined && Object.keys(trailer).length > 0;
    if (waitForTrailers) stream.once("wantTrailers", () => stream.sendTrailers(trailer));
    stream.respond(header, { waitForTrailers });
    for (; chunk !== undefined && chunk.done !== true; chunk = await it!.next()) {
      writing = true;
      if (stream.destroyed) throw closedEarly();
      if (!stream.write(chunk.value)) await drained(stream);
      writing = false;
    }
    stream.end();
    if (!stream.readableEnded) {
      // Answered before the request was read to the end: what is buffered
      // is dropped, and the client is asked to stop sending.
      stream.resume();
      resetOnceAnswered(stream);
    }
  } catch (failure) {
    // Tell the handler its answer could not be written.
    if (writing) it?.throw?.(failure).catch(ignore);
    throw failure;
  } finally {
    it?.return?.().catch(ignore);
  }
}

// Resolves once the stream takes writes again; rejects if it closes first.
function drained(stream: http2.ServerHttp2Stream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off("close", onClose);
      resolve();
    };
    if (stream.destroyed) return reject(closedEarly());
    const onClose = () => {
      stream.off("drain", onDrain);
      reject(closedEarly());
    };
    stream.once("drain", onDrain);
    stream.once("close", onClose);
  });
}

function closedEarly(): ConnectError {
  return new ConnectError("the stream closed before the answer was written", Code.Aborted);
}
