import { randomUUID } from "node:crypto";
import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { principalKey } from "./auth/auth-interceptor.js";
import { isClientFault } from "./request-errors.js";

/** The call's request id: the caller's `x-request-id` if it sent a sane one, else a new one. */
export const requestIdKey = createContextKey<string>("");

/** The caller's `x-request-id` if it sent a sane one, else a new one. */
export function requestIdOf(header: Headers): string {
  const offered = header.get("x-request-id");
  return offered !== null && /^[\w.:-]{1,128}$/.test(offered) ? offered : randomUUID();
}

/**
 * Logs one line per call with its request id, method, status code, duration
 * and caller id — never request or response contents, which hold user data
 * and credentials — and returns the request id in the `x-request-id` header.
 */
export function loggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    const requestId = requestIdOf(request.header);
    request.contextValues.set(requestIdKey, requestId);
    const started = performance.now();
    const line = () => ({
      requestId,
      method: `${request.service.typeName}/${request.method.name}`,
      caller: request.contextValues.get(principalKey)?.id,
      ms: Math.round((performance.now() - started) * 100) / 100,
    });
    try {
      const response = await next(request);
      response.header.set("x-request-id", requestId);
      // Probes check health every few seconds: their successes would drown the
      // log. The line is made only when its level is on.
      const level = request.service.typeName === "grpc.health.v1.Health" ? "debug" : "info";
      if (logger.isLevelEnabled(level)) logger[level]({ ...line(), code: "ok" }, "call");
      return response;
    } catch (error) {
      const connectError = ConnectError.from(error);
      connectError.metadata.set("x-request-id", requestId);
      const level = (connectError.code === Code.Internal || connectError.code === Code.Unknown) && !isClientFault(connectError) ? "error" : "info";
      logger[level]({ ...line(), code: Code[connectError.code] }, "call");
      throw connectError;
    }
  };
}

/** A call the RPC framework answered before any interceptor saw it: it could not read the request. */
export interface EarlyCall {
  service: string;
  method: string;
  code: Code;
  /** The request headers, for the request id. */
  header: Headers;
  ms: number;
  /** What the framework said, when the client was told something else. */
  cause?: string;
}

/**
 * Logs an early-answered call with the same line as every other call (at
 * info: the request is at fault, not the server); returns its request id,
 * for the answer's `x-request-id`.
 */
export function logEarlyCall(logger: Logger, call: EarlyCall): string {
  const requestId = requestIdOf(call.header);
  logger.info(
    { requestId, method: `${call.service}/${call.method}`, ms: Math.round(call.ms * 100) / 100, code: Code[call.code], cause: call.cause },
    "call",
  );
  return requestId;
}
