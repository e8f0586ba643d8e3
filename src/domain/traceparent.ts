/** The parts of a W3C `traceparent` that identify a span. */
export interface SpanReference {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const pattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Reads a W3C Trace Context `traceparent` (`00-<32 hex trace id>-<16 hex span
 * id>-<2 hex flags>`), as an outbox row keeps the context of the call that
 * queued it. Undefined for anything else: version ff, all-zero ids, upper
 * case, extra text. A newer version's first four fields are read, as the
 * specification asks.
 */
export function parseTraceparent(text: string | undefined): SpanReference | undefined {
  if (text === undefined) return undefined;
  const version = text.slice(0, 2);
  const match = pattern.exec(version === "00" ? text : text.slice(0, 55));
  if (match === null || match[1] === "ff" || /^0+$/.test(match[2]!) || /^0+$/.test(match[3]!)) return undefined;
  return { traceId: match[2]!, spanId: match[3]!, sampled: (parseInt(match[4]!, 16) & 1) === 1 };
}

/** The `traceparent` (version 00) of a span. */
export function formatTraceparent(span: SpanReference): string {
  return `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`;
}
