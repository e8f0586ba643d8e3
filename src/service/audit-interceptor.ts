import { toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { Code, type Interceptor } from "@connectrpc/connect";
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
 * log. Runs inside the authorization interceptor, so the caller is known.
 * The change a call made is already committed when it is recorded: a failure
 * to record is logged as an error, not turned into a failed call.
 */
export function auditInterceptor(audit: AuditLog, logger: Logger): Interceptor {
  return (next) => async (request) => {
    const method = `${request.service.typeName}/${request.method.name}`;
    if (!auditedMethods.has(method) || request.stream) return next(request);
    const at = new Date();
    const principalId = request.contextValues.get(principalKey)?.id ?? "anonymous";
    const requestJson = json(request.method.input, request.message);
    const record = (code: string, outcomeJson?: string) => {
      const event = { at, principalId, method, requestJson, code, outcomeJson };
      logger.info({ audit: { ...event, at: at.toISOString() } }, "audit");
      return audit.record(event).catch((err: unknown) => logger.error({ err, audit: { method, principalId } }, "audit record not written"));
    };
    try {
      const response = await next(request);
      if (!response.stream) await record("OK", json(request.method.output, response.message));
      return response;
    } catch (error) {
      await record(Code[toConnectError(error).error.code]);
      throw error;
    }
  };
}

function json(schema: DescMessage, message: unknown): string {
  return JSON.stringify(toJson(schema, message as never, { alwaysEmitImplicit: false }), (key, value: JsonValue) =>
    redactedFields.has(key) ? "[redacted]" : value,
  );
}
