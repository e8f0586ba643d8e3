import type { Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { toConnectError } from "./error-codes.js";

/**
 * Maps every failure of a call to its status code (see error-codes.ts) and
 * logs the cause of internal ones, which the client only sees as
 * "internal error".
 */
export function errorInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (cause) {
      const { error, internal } = toConnectError(cause);
      if (internal) {
        logger.error({ err: cause, procedure: request.url }, "internal error");
      } else if (error.cause !== undefined || (cause as { cause?: unknown }).cause !== undefined) {
        logger.warn({ err: (cause as { cause?: unknown }).cause ?? cause, procedure: request.url, code: error.code }, error.rawMessage);
      }
      throw error;
    }
  };
}
