import { ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { toConnectError } from "./error-codes.js";
import { isRequestReadError, requestErrorStatus, wireFormatOf } from "./request-errors.js";

/**
 * Maps every failure of a call to its status code (see error-codes.ts) and
 * logs the cause of internal ones, which the client only sees as
 * "internal error". A streaming call reads its request messages while it
 * runs: a message the framework cannot read gets the status of a malformed
 * request (see request-errors.ts), as in a unary call.
 */
export function errorInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    const readError = (error: unknown) =>
      isRequestReadError(error) ? requestErrorStatus(error, request.method.input.typeName, wireFormatOf(request.header.get("content-type"))) : error;
    const statusOf = (thrown: unknown) => {
      // The client's fault, even when the protocol says INTERNAL: the logging interceptor records the call.
      if (isRequestReadError(thrown)) return readError(thrown);
      const cause = thrown;
      const { error, internal } = toConnectError(cause);
      if (internal) {
        logger.error({ err: cause, procedure: request.url }, "internal error");
      } else if (error.cause !== undefined || (cause as { cause?: unknown }).cause !== undefined) {
        logger.warn({ err: (cause as { cause?: unknown }).cause ?? cause, procedure: request.url, code: error.code }, error.rawMessage);
      }
      // Messages may quote the request's text; gRPC cannot carry a lone surrogate.
      return error.rawMessage.isWellFormed() ? error : new ConnectError(error.rawMessage.toWellFormed(), error.code, error.metadata);
    };
    try {
      const response = await next(request);
      // A streaming handler fails while it sends: its failure is mapped the same way.
      return response.stream ? { ...response, message: mapErrors(response.message, statusOf) } : response;
    } catch (thrown) {
      throw statusOf(thrown);
    }
  };
}

async function* mapErrors<T>(messages: AsyncIterable<T>, map: (error: unknown) => unknown): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    throw map(error);
  }
}
