import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { parseTimeout as parseConnectTimeout } from "@connectrpc/connect/protocol-connect";
import { parseTimeout as parseGrpcTimeout } from "@connectrpc/connect/protocol-grpc";
import { runForCall } from "../store/call-deadline.js";

/**
 * Bounds the database work of each unary call by the call: its statements
 * get what remains of the deadline (see store/call-deadline.ts) and stop when
 * the call is cancelled. A deadline below one millisecond (`grpc-timeout:
 * 1n`, `1u`, `0m`; `connect-timeout-ms: 0`) has passed on arrival: Connect
 * would wait a whole millisecond (a timer's least) and let a fast handler
 * succeed, so such calls fail DEADLINE_EXCEEDED here, as does any call whose
 * deadline passed before its handler started.
 */
export function deadlineInterceptor(): Interceptor {
  return (next) => async (request) => {
    if (request.stream) return next(request);
    const timeoutMs = requestTimeoutMs(request.header);
    if ((timeoutMs !== undefined && timeoutMs < 1) || deadlinePassed(request.signal)) {
      throw new ConnectError("the deadline passed before the call started", Code.DeadlineExceeded);
    }
    request.signal.throwIfAborted();
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    return runForCall({ signal: request.signal, deadline }, () => next(request));
  };
}

// Malformed or excessive values were already refused by Connect.
function requestTimeoutMs(header: Headers): number | undefined {
  const grpc = header.get("grpc-timeout");
  if (grpc !== null) return parseGrpcTimeout(grpc, Infinity).timeoutMs;
  return parseConnectTimeout(header.get("connect-timeout-ms"), Infinity).timeoutMs;
}

function deadlinePassed(signal: AbortSignal): boolean {
  return signal.aborted && (signal.reason as { code?: unknown } | undefined)?.code === Code.DeadlineExceeded;
}
