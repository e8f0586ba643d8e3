import { Code, ConnectError } from "@connectrpc/connect";

/** The three protocols the server speaks, told apart by the request's content type. */
export type WireProtocol = "grpc" | "grpc-web" | "connect";

/** A request's protocol and message encoding. */
export interface WireFormat {
  protocol: WireProtocol;
  /** JSON rather than binary Protobuf. */
  json: boolean;
}

/**
 * The protocol and encoding a request's `content-type` names: gRPC
 * (`application/grpc[+proto|+json]`), gRPC-Web (`application/grpc-web…`),
 * else Connect (`application/proto`, `application/json`,
 * `application/connect+…`, and GET requests, which have none; their
 * `encoding` query parameter is not looked at, so a GET counts as binary).
 */
export function wireFormatOf(contentType: string | null): WireFormat {
  const type = (contentType ?? "").toLowerCase();
  const protocol = type.startsWith("application/grpc-web") ? "grpc-web" : type.startsWith("application/grpc") ? "grpc" : "connect";
  return { protocol, json: /json/.test(type) };
}

// Errors the framework raises while reading a request that say what is
// wrong in the protocol's terms, without quoting the message's bytes or a
// parser: framing ("protocol error: promised 10 bytes…", "missing input
// message…"), deadlines, sizes, unknown compression, failed decompression.
const protocolMessage = /^(protocol error: |timeout \d+ms must be|unknown compression |message size (\d+ )?is larger than|message is larger than configured|decompression failed$)/;
// protobuf-es names the field whose JSON value it cannot read.
const jsonField = /^cannot decode field [\w.]+\.(\w+) from JSON: /;
const compressedWithoutEncoding = "received compressed envelope, but do not know how to decompress";

/**
 * The status of a call whose request itself is at fault (its framing,
 * compression, size or message encoding), raised by the RPC framework while
 * reading it, before any interceptor or handler ran.
 *
 * A message that cannot be decoded is INVALID_ARGUMENT, as Connect's
 * reference implementation (connect-go) answers, with a message that names
 * the expected type and encoding (and the field, where the JSON parser names
 * it), never the parser's own words: they describe the parser, not the API,
 * and the framework would report binary ones as INTERNAL.
 * A message flagged as compressed without a declared encoding is INTERNAL
 * over gRPC and gRPC-Web, as gRPC's compression spec requires ("MUST fail
 * with INTERNAL status, its associated description indicating the invalid
 * Compressed-Flag condition"), and INVALID_ARGUMENT over Connect, whose spec
 * only says the flag must be unset. Errors about framing, sizes, deadlines
 * and compression keep their code and message.
 */
export function requestErrorStatus(error: ConnectError, inputType: string, format: WireFormat): ConnectError {
  if (error.rawMessage === compressedWithoutEncoding) {
    if (format.protocol === "connect") return new ConnectError("protocol error: a message is flagged as compressed, but connect-content-encoding names no compression", Code.InvalidArgument);
    const internal = new ConnectError("protocol error: a message is flagged as compressed, but grpc-encoding names no compression", Code.Internal);
    clientFaults.add(internal);
    return internal;
  }
  if (protocolMessage.test(error.rawMessage)) {
    if (error.code === Code.Internal || error.code === Code.Unknown) return new ConnectError(error.rawMessage, Code.InvalidArgument);
    return error;
  }
  if (error.code === Code.Canceled || error.code === Code.DeadlineExceeded || error.code === Code.Aborted || error.code === Code.ResourceExhausted) return error;
  const field = jsonField.exec(error.rawMessage)?.[1];
  if (field !== undefined) return new ConnectError(`malformed request: ${field}: not a valid value`, Code.InvalidArgument);
  return new ConnectError(`malformed request: not a valid ${inputType} in ${format.json ? "JSON" : "binary Protobuf"}`, Code.InvalidArgument);
}

const clientFaults = new WeakSet<ConnectError>();

/** Whether an INTERNAL error is one `requestErrorStatus` gave a client's request, as its protocol requires: not the server's failure. */
export function isClientFault(error: ConnectError): boolean {
  return clientFaults.has(error);
}

/**
 * Whether an error raised inside a call is the framework's failure to read
 * its request (possible in streaming calls, whose messages are read while
 * the handler runs): those get `requestErrorStatus`.
 */
export function isRequestReadError(error: unknown): error is ConnectError {
  if (!(error instanceof ConnectError)) return false;
  const message = error.rawMessage;
  return (
    message.startsWith("parse binary: ") ||
    message === compressedWithoutEncoding ||
    message === "decompression failed" ||
    // JSON: protobuf-es's own errors, and JSON.parse's.
    (error.code === Code.InvalidArgument && (message.startsWith("cannot decode ") || error.cause instanceof SyntaxError))
  );
}
