import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type TextMapGetter } from "@opentelemetry/api";
import type { Tracing } from "./tracing.js";

// Codes that are the server's fault, which the gRPC conventions mark as span errors on the server side.
const serverFaults = new Set([Code.Unknown, Code.DeadlineExceeded, Code.Unimplemented, Code.Internal, Code.Unavailable, Code.DataLoss]);

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * A server span per call, named `package.Service/Method` with the gRPC
 * semantic conventions (rpc.system, rpc.service, rpc.method,
 * rpc.grpc.status_code), continuing the caller's W3C `traceparent` when it
 * sent a valid one (a malformed one is ignored: the call starts a new
 * trace). The call runs inside the span, so its database statements and log
 * lines belong to it. Outermost, so the span covers the whole call.
 */
export function rpcSpansInterceptor(tracing: Tracing): Interceptor {
  return (next) => async (request) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.header, headerGetter);
    const span = tracing.tracer.startSpan(
      `${request.service.typeName}/${request.method.name}`,
      {
        kind: SpanKind.SERVER,
        attributes: { "rpc.system": "grpc", "rpc.service": request.service.typeName, "rpc.method": request.method.name },
      },
      parent,
    );
    return context.with(trace.setSpan(parent, span), async () => {
      try {
        const response = await next(request);
        span.setAttribute("rpc.grpc.status_code", 0);
        return response;
      } catch (error) {
        const { code, rawMessage } = ConnectError.from(error);
        span.setAttribute("rpc.grpc.status_code", code);
        if (serverFaults.has(code)) span.setStatus({ code: SpanStatusCode.ERROR, message: rawMessage });
        throw error;
      } finally {
        span.end();
      }
    });
  };
}
