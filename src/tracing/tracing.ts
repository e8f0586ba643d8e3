import type { Tracer } from "@opentelemetry/api";

/** Tracing as started by startTracing(): the tracer the hooks make spans with. */
export interface Tracing {
  readonly tracer: Tracer;
  /** The trace and span ids of the current span, for log lines; empty outside a trace. */
  logFields(): { traceId?: string; spanId?: string };
  /** Exports every ended span now. */
  flush(): Promise<void>;
  /** Exports what is left and stops. */
  shutdown(): Promise<void>;
}
