import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import { createAsyncIterable, encodeEnvelope, type Compression, type UniversalHandler, type UniversalServerResponse } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, createEndStreamSerialization, endStreamFlag, errorFromJsonBytes, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { findTrailerError, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerParse, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";
import { requestErrorStatus, wireFormatOf, type WireFormat } from "../service/request-errors.js";

/** A call the framework answered before any interceptor saw it. */
export interface EarlyError {
  service: string;
  method: string;
  /** The status the client gets. */
  error: ConnectError;
  /** What the framework said, when the client is told something else (a parser's message). */
  cause?: string;
  /** The caller's request headers. */
  header: Headers;
  ms: number;
}

/** What the guard needs: the compressions the server accepts, and who to tell about each early error. */
export interface EarlyErrorOptions {
  acceptCompression: readonly Compression[];
  /** Logs and counts the call like any other; may add metadata (the request id) to `error`. */
  onEarlyError(call: EarlyError): void;
}

const enteredKey = createContextKey(false);

/** Outermost interceptor: marks a call as seen by the interceptors. */
export const markEntered: Interceptor = (next) => (request) => {
  request.contextValues.set(enteredKey, true);
  return next(request);
};

// An early answer holds one error: anything longer is not one.
const maxErrorBytes = 64 * 1024;
const endStream = createEndStreamSerialization(undefined);

/**
 * Wraps one RPC handler of the framework. The framework reads and decodes a
 * unary call's request before any interceptor runs, and answers a request it
 * cannot read (bad framing, a size over the limit, an unknown compression, a
 * message that does not decode) on its own: unlogged, uncounted, and for a
 * message that does not decode, as INTERNAL with the parser's words. Such
 * answers are decoded here, given their proper status (see
 * request-errors.ts), reported to `onEarlyError`, and encoded again in the
 * call's protocol. Calls the interceptors saw (`markEntered` must be the
 * outermost one) pass untouched.
 */
export function guardEarlyErrors(handler: UniversalHandler, options: EarlyErrorOptions): UniversalHandler {
  const guarded = async (request: Parameters<UniversalHandler>[0]) => {
    const started = performance.now();
    const format = () => wireFormatOf(request.header.get("content-type"));
    const entered = () => request.contextValues?.get(enteredKey) === true;
    const report = (error: ConnectError, said: string) =>
      options.onEarlyError({
        service: handler.service.typeName,
        method: handler.method.name,
        error,
        cause: error.rawMessage === said ? undefined : said,
        header: request.header,
        ms: performance.now() - started,
      });
    let response: UniversalServerResponse;
    try {
      response = await handler(request);
    } catch (failure) {
      // The framework failed to write its own answer: it percent-encodes an
      // error message for grpc-message, and a parser's message quoting the
      // request's text (a lone surrogate) cannot be. Nothing would be sent.
      const error = entered() ? new ConnectError("internal error", Code.Internal) : requestErrorStatus(ConnectError.from(failure), handler.method.input.typeName, format());
      if (!entered()) report(error, ConnectError.from(failure).rawMessage);
      return writeError({ status: 200, header: new Headers({ "content-type": request.header.get("content-type") ?? "application/json" }) }, format(), error);
    }
    if (entered() || response.body === undefined) return response;
    // Not seen by the interceptors: an error, and short.
    const body = await readAll(response.body);
    const answered = { ...response, body: createAsyncIterable(body.chunks) };
    const original = body.complete ? await readError(answered, Buffer.concat(body.chunks), format(), options.acceptCompression).catch(() => undefined) : undefined;
    if (original === undefined) {
      if (!body.complete) answered.body = concat(body.chunks, body.rest);
      return answered;
    }
    const error = requestErrorStatus(new ConnectError(original.rawMessage, original.code), handler.method.input.typeName, format());
    report(error, original.rawMessage);
    return writeError(response, format(), error);
  };
  return Object.assign(guarded, handler);
}

async function readError(response: UniversalServerResponse, body: Uint8Array, format: WireFormat, compressions: readonly Compression[]): Promise<ConnectError | undefined> {
  const header = new Headers(response.header);
  if (format.protocol === "grpc") return findTrailerError(new Headers(response.trailer));
  if (format.protocol === "connect" && !isStream(header)) {
    if (response.status === 200) return undefined;
    const encoding = header.get("content-encoding");
    const bytes = encoding === null ? body : await compressionNamed(compressions, encoding)?.decompress(body, maxErrorBytes);
    return bytes && errorFromJsonBytes(bytes, undefined, new ConnectError(`HTTP ${response.status}`, Code.Unknown));
  }
  const compression = compressionNamed(compressions, header.get(format.protocol === "connect" ? "connect-content-encoding" : "grpc-encoding"));
  for (const envelope of envelopes(body)) {
    const data = envelope.flags & 1 ? await compression?.decompress(envelope.data, maxErrorBytes) : envelope.data;
    if (data === undefined) return undefined;
    if (format.protocol === "grpc-web" && envelope.flags & trailerFlag) return findTrailerError(trailerParse(data));
    if (format.protocol === "connect" && envelope.flags & endStreamFlag) return endStream.parse(data).error;
  }
  return undefined;
}

function writeError(response: UniversalServerResponse, format: WireFormat, error: ConnectError): UniversalServerResponse {
  const header = new Headers(response.header);
  if (format.protocol === "grpc") {
    return { status: response.status, header, body: createAsyncIterable([]), trailer: setTrailerStatus(new Headers(), error) };
  }
  if (format.protocol === "grpc-web") {
    return { status: response.status, header, body: createAsyncIterable([encodeEnvelope(trailerFlag, trailerSerialize(setTrailerStatus(new Headers(), error)))]) };
  }
  if (isStream(header)) {
    const end = endStream.serialize({ metadata: new Headers(), error });
    return { status: response.status, header, body: createAsyncIterable([encodeEnvelope(endStreamFlag, end)]) };
  }
  const body = errorToJsonBytes(error, undefined);
  header.delete("content-encoding");
  header.set("content-type", "application/json");
  header.set("content-length", String(body.byteLength));
  error.metadata.forEach((value, key) => header.set(key, value));
  return { status: codeToHttpStatus(error.code), header, body: createAsyncIterable([body]) };
}

function isStream(header: Headers): boolean {
  return header.get("content-type")?.startsWith("application/connect+") === true;
}

function compressionNamed(compressions: readonly Compression[], name: string | null): Compression | undefined {
  return compressions.find((compression) => compression.name === name);
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<{ chunks: Uint8Array[]; complete: boolean; rest: AsyncIterator<Uint8Array> }> {
  const rest = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length <= maxErrorBytes) {
    const next = await rest.next();
    if (next.done === true) return { chunks, complete: true, rest };
    chunks.push(next.value);
    length += next.value.byteLength;
  }
  return { chunks, complete: false, rest };
}

async function* concat(chunks: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  yield* chunks;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}

function* envelopes(body: Uint8Array): Generator<{ flags: number; data: Uint8Array }> {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  for (let offset = 0; offset + 5 <= body.byteLength; ) {
    const length = view.getUint32(offset + 1);
    yield { flags: body[offset]!, data: body.subarray(offset + 5, offset + 5 + length) };
    offset += 5 + length;
  }
}
