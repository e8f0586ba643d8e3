/**
 * What the stores need from tracing, when it is on: a span around each
 * database statement, and the current trace context to keep with a queued
 * logout notification. Without it (tracing off) the stores do neither and
 * pay nothing.
 */
export interface StatementTracing {
  /** Runs one statement (`sql` with `?` placeholders, never the values) inside a child span of the current one, if any. */
  statement<T>(sql: string, run: () => Promise<T>): Promise<T>;
  /** The W3C traceparent of the current span; undefined outside a trace. */
  traceparent(): string | undefined;
}
