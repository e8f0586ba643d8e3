import type { IncomingMessage, ServerResponse } from "node:http";
import http2 from "node:http2";

// How often, and for how long, to look whether an early answer's last frame
// is out. It usually is within a millisecond; a client that does not read
// its answer (so the last DATA frame waits for flow control) is left to the
// shutdown's cut-off.
const pollMs = 5;
const maxWaitMs = 30_000;

/**
 * Ends an HTTP/2 stream whose answer went out before its request was read to
 * the end: an oversized message or a malformed one is answered as soon as it
 * is seen, and the rest of the request is never read. Its client, blocked by
 * flow control, would keep the stream open (and one of the connection's
 * stream slots used) for ever. HTTP/2 lets a server that has sent a complete
 * response ask the client to stop sending, without error, with RST_STREAM
 * NO_ERROR (RFC 9113, section 8.1); clients keep the response.
 *
 * The reset must follow the frame that ends the answer (the trailers, for
 * gRPC): reset earlier, the trailers would be dropped. Node tells when the
 * stream's writable side finished, which is before the trailers are sent,
 * and nothing when they are; so this looks at the stream's state until its
 * local side is closed, only for the rare streams answered early.
 */
export function resetWhenAnsweredEarly(request: http2.Http2ServerRequest): void {
  request.stream.once("finish", () => {
    if (!request.complete) resetOnceAnswered(request.stream);
  });
}

/**
 * Resets, without error, a stream whose answer is complete or about to be
 * (its last frame submitted) while its request was not read to the end: the
 * same as resetWhenAnsweredEarly, for callers that answer on the stream
 * itself and know when they end it.
 */
export function resetOnceAnswered(stream: http2.ServerHttp2Stream): void {
  const started = Date.now();
  const check = () => {
    if (stream.closed || stream.destroyed) return;
    if (stream.state.localClose === 1) {
      stream.close(http2.constants.NGHTTP2_NO_ERROR);
      return;
    }
    if (Date.now() - started < maxWaitMs) setTimeout(check, pollMs).unref();
  };
  setImmediate(check);
}

/**
 * Reads and discards what is left of an HTTP/1.1 request answered early, so
 * that the connection reaches the next request (keep-alive) instead of
 * stalling with a client blocked on sending a body nobody reads. A client
 * that stops sending is cut off by the server's request timeout, as for any
 * request.
 */
export function discardWhenAnsweredEarly(request: IncomingMessage | http2.Http2ServerRequest, response: ServerResponse | http2.Http2ServerResponse): void {
  response.once("finish", () => {
    if (!request.complete) request.resume();
  });
}
