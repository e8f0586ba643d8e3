import http2 from "node:http2";
import { testApiKey } from "./test-credentials.js";

/** The end of a gRPC call as the server sent it, and when it came. */
export interface RawGrpcOutcome {
  /** grpc-status: 0 OK, 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE… */
  status: number;
  message: string;
  /** Milliseconds from sending the request to the trailers. */
  elapsedMs: number;
}

/**
 * A unary gRPC call over h2c whose `grpc-timeout` the client does not
 * enforce: it waits for the server's own answer, so that a test sees when
 * (and whether) the server gives up at the deadline.
 */
export async function rawGrpcCall(
  port: number,
  path: string,
  message: Uint8Array,
  headers: Record<string, string> = {},
): Promise<RawGrpcOutcome> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => undefined);
  const started = Date.now();
  try {
    return await new Promise<RawGrpcOutcome>((resolve, reject) => {
      const stream = session.request({
        ":method": "POST",
        ":path": path,
        "content-type": "application/grpc+proto",
        te: "trailers",
        authorization: `Bearer ${testApiKey}`,
        ...headers,
      });
      let status: number | undefined;
      let text = "";
      const take = (fields: http2.IncomingHttpHeaders) => {
        if (fields["grpc-status"] === undefined) return;
        status = Number(fields["grpc-status"]);
        text = decodeURIComponent(String(fields["grpc-message"] ?? ""));
      };
      stream.on("response", take);
      stream.on("trailers", take);
      stream.on("data", () => undefined);
      stream.on("end", () =>
        status === undefined ? reject(new Error("no grpc-status")) : resolve({ status, message: text, elapsedMs: Date.now() - started }),
      );
      stream.on("error", reject);
      const frame = Buffer.alloc(5 + message.length);
      frame.writeUInt32BE(message.length, 1);
      frame.set(message, 5);
      stream.end(frame);
    });
  } finally {
    session.close();
  }
}
