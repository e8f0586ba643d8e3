import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { formatTraceparent } from "../domain/traceparent.js";
import type { StatementTracing } from "../store/statement-tracing.js";
import type { Tracing } from "./tracing.js";

/**
 * Database statement spans with the database conventions (db.system.name,
 * db.operation.name, db.collection.name, db.query.text with its `?`
 * placeholders, never the values), made only inside a trace: the notifier's
 * and sweeper's polls, outside any call, make none.
 */
export function statementSpans(tracing: Tracing, system: "mysql" | "mariadb" | "sqlite"): StatementTracing {
  return {
    async statement(sql, run) {
      const parent = context.active();
      if (trace.getSpan(parent) === undefined) return run();
      const { operation, collection } = describe(sql);
      const span = tracing.tracer.startSpan(
        collection === undefined ? operation : `${operation} ${collection}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            "db.system.name": system,
            "db.operation.name": operation,
            ...(collection === undefined ? {} : { "db.collection.name": collection }),
            "db.query.text": sql,
          },
        },
        parent,
      );
      try {
        return await context.with(trace.setSpan(parent, span), run);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
    traceparent() {
      const span = trace.getSpan(context.active());
      const spanContext = span?.spanContext();
      if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
      return formatTraceparent({ traceId: spanContext.traceId, spanId: spanContext.spanId, sampled: (spanContext.traceFlags & 1) === 1 });
    },
  };
}

// The statement's first keyword and the table it names first.
function describe(sql: string): { operation: string; collection?: string } {
  const operation = (/^\s*(\w+)/.exec(sql)?.[1] ?? "SQL").toUpperCase();
  const collection = /\b(?:FROM|INTO|UPDATE|JOIN)\s+[`"]?(\w+)/i.exec(sql)?.[1];
  return collection === undefined ? { operation } : { operation, collection };
}
