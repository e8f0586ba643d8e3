import type { OutgoingHttpHeaders } from "node:http";

/**
 * The gRPC protocol percent-encodes `grpc-message` only where it must (bytes
 * outside printable ASCII, and "%"). The RPC framework encodes it with
 * encodeURIComponent, which also escapes ":", "/", "=" and the like, and some
 * clients (@grpc/grpc-js among them) decode it with decodeURI, which leaves
 * those escapes in place: callers would read "count_requested%3A must not be
 * negative". Re-encoding to the protocol's minimal form reads right in every
 * client.
 */
export function reencodeGrpcMessage(value: string): string {
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch {
    return value;
  }
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The headers or trailers with `grpc-message`, if any, in the protocol's minimal encoding. */
export function withReencodedGrpcMessage<T extends OutgoingHttpHeaders | undefined>(headers: T): T {
  const message = headers?.["grpc-message"];
  if (typeof message !== "string") return headers;
  return { ...headers, "grpc-message": reencodeGrpcMessage(message) };
}

/** Makes a response write `grpc-message` in the protocol's minimal encoding, in headers (trailers-only answers) and trailers. */
export function reencodeGrpcMessages(response: {
  writeHead: (...args: never[]) => unknown;
  addTrailers: (headers: OutgoingHttpHeaders) => void;
}): void {
  const writeHead = response.writeHead.bind(response) as (status: number, headers?: OutgoingHttpHeaders) => unknown;
  const addTrailers = response.addTrailers.bind(response);
  (response as { writeHead: unknown }).writeHead = (status: number, headers?: OutgoingHttpHeaders) =>
    writeHead(status, withReencodedGrpcMessage(headers));
  response.addTrailers = (headers) => addTrailers(withReencodedGrpcMessage(headers)!);
}
