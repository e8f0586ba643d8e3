import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Link } from "@opentelemetry/api";
import { parseTraceparent } from "../domain/traceparent.js";
import type { DeliveryTracing } from "../notifier/delivery-tracing.js";
import type { LogoutPoster } from "../notifier/logout-poster.js";
import type { Tracing } from "./tracing.js";

/**
 * One span per delivery attempt of a logout notification, in a trace of its
 * own (it may run on another instance, hours after the call), linked to the
 * span of the call that queued it when its row kept one.
 */
export function deliverySpans(tracing: Tracing): DeliveryTracing {
  return {
    attempt(claim, work) {
      const queuedBy = parseTraceparent(claim.traceContext);
      const links: Link[] =
        queuedBy === undefined
          ? []
          : [{ context: { traceId: queuedBy.traceId, spanId: queuedBy.spanId, traceFlags: queuedBy.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true } }];
      const span = tracing.tracer.startSpan("deliver logout_notifications", {
        kind: SpanKind.CONSUMER,
        root: true,
        links,
        attributes: {
          "messaging.operation.type": "process",
          "messaging.destination.name": "logout_notifications",
          "messaging.message.id": String(claim.id),
          "session_management.client_id": claim.clientId,
          "session_management.attempt": claim.attempts + 1,
        },
      });
      return context.with(trace.setSpan(context.active(), span), () => work().finally(() => span.end()));
    },
  };
}

/**
 * The poster, with a client span per POST (http.request.method,
 * server.address and server.port of the relying party, and
 * http.response.status_code or error.type), a child of the attempt's span.
 */
export function withPostSpans(poster: LogoutPoster, tracing: Tracing): LogoutPoster {
  return {
    async post(url, token, signal) {
      const target = safeUrl(url);
      const span = tracing.tracer.startSpan("POST", {
        kind: SpanKind.CLIENT,
        attributes: {
          "http.request.method": "POST",
          ...(target === undefined
            ? {}
            : { "server.address": target.hostname, "server.port": Number(target.port || (target.protocol === "https:" ? 443 : 80)), "url.scheme": target.protocol.slice(0, -1) }),
        },
      });
      try {
        const result = await context.with(trace.setSpan(context.active(), span), () => poster.post(url, token, signal));
        if ("statusCode" in result) {
          span.setAttribute("http.response.status_code", result.statusCode);
          if (result.statusCode >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
        } else {
          span.setAttributes({ "error.type": result.final ? "refused" : "transport" });
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
        }
        return result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
    close: () => poster.close(),
  };
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
