import { toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import type { Logger } from "pino";
import type { AuditLog } from "../store/audit-log.js";
import { principalKey } from "./auth/auth-interceptor.js";
import { auditedMethods } from "./auth/permissions.js";
import { toConnectError } from "./error-codes.js";

// Opaque payloads: a session's ticket and a grant's serialized data.
const redactedFields = new Set(["ticket", "data"]);

/**
 * Records every audited call (see permissions.ts), successful or not, with
 * who made it, the request and the outcome, in the audit trail and in the
 * log. Runs around the authorization interceptor, so calls refused for want
 * of a permission are recorded too, with the caller it established. Calls
 * without valid credentials are only logged: anyone can make them, and they
 * must not be able to fill the table. The change a call made is already
 * committed when it is recorded: a failure to record is logged as an error,
 * not turned into a failed call.
 */
export function auditInterceptor(audit: AuditLog, logger: Logger): Interceptor {
  return (next) => async (request) => {
    const method = `${request.service.typeName}/${request.method.name}`;
    if (!auditedMethods.has(method) || request.stream) return next(request);
    const at = new Date();
    const record = (code: string, outcomeJson?: string) => {
      // Read now: the request as it was carried out, e.g. restricted to a
      // sessions.self caller's own subject (see auth/self-scope.ts).
      const requestJson = json(request.method.input, request.message);
      const principalId = request.contextValues.get(principalKey)?.id;
      const event = { at, principalId: principalId ?? "anonymous", method, requestJson, code, outcomeJson };
      logger.info({ audit: { ...event, at: at.toISOString() } }, "audit");
      if (principalId === undefined) return;
      return audit.record(event).catch((err: unknown) => logger.error({ err, audit: { method, principalId } }, "audit record not written"));
    };
    try {
      const response = await next(request);
      if (!response.stream) await record("OK", json(request.method.output, response.message));
      return response;
    } catch (error) {
      // The gRPC name of the status ("INVALID_ARGUMENT"), as "OK" is on success.
      const recording = record(codeToString(toConnectError(error).error.code).toUpperCase());
      // A call that has ended (deadline, cancellation) answers at once, even
      // when the database it could not reach holds up its record too.
      if (!request.signal.aborted) await recording;
      throw error;
    }
  };
}

// A request the server refused may hold values JSON cannot spell (a Timestamp
// with negative nanos): its record says so rather than failing the call.
function json(schema: DescMessage, message: unknown): string {
  let value: JsonValue;
  try {
    value = toJson(schema, message as never, { alwaysEmitImplicit: false });
  } catch (error) {
    return JSON.stringify({ unrepresentable: error instanceof Error ? error.message : String(error) });
  }
  return JSON.stringify(value, (key, inner: JsonValue) => (redactedFields.has(key) ? "[redacted]" : inner));
}
