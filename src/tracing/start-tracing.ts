import { context, propagation, trace } from "@opentelemetry/api";
import type { Sampler } from "@opentelemetry/sdk-trace-base";
import type { TracingOptions } from "../server/tracing-options.js";
import type { Tracing } from "./tracing.js";

// Spans wait at most this long to be exported in a batch.
const exportDelayMs = 1000;

/**
 * Starts the OpenTelemetry SDK as configured, and registers it as the
 * process's tracer provider, context manager (AsyncLocalStorage) and W3C
 * Trace Context propagator. The SDK is imported here, on demand: a server
 * with tracing off never loads it.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [sdk, { resourceFromAttributes }, { W3CTraceContextPropagator }] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/core"),
  ]);
  const exporter =
    options.exporter === "console"
      ? new sdk.ConsoleSpanExporter()
      : new (await import("@opentelemetry/exporter-trace-otlp-http")).OTLPTraceExporter({ url: options.endpoint, headers: options.headers });
  const provider = new sdk.NodeTracerProvider({
    resource: resourceFromAttributes({ ...options.resourceAttributes, "service.name": options.serviceName }),
    sampler: sampler(sdk, options),
    spanProcessors: [new sdk.BatchSpanProcessor(exporter, { scheduledDelayMillis: exportDelayMs })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const tracer = provider.getTracer("session-management");
  return {
    tracer,
    logFields() {
      const span = trace.getSpan(context.active());
      if (span === undefined) return {};
      const { traceId, spanId } = span.spanContext();
      return { traceId, spanId };
    },
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

function sampler(sdk: typeof import("@opentelemetry/sdk-trace-node"), options: TracingOptions): Sampler {
  const ratio = new sdk.TraceIdRatioBasedSampler(options.samplerRatio);
  switch (options.sampler) {
    case "always_on":
      return new sdk.AlwaysOnSampler();
    case "always_off":
      return new sdk.AlwaysOffSampler();
    case "traceidratio":
      return ratio;
    case "parentbased_always_on":
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
    case "parentbased_always_off":
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new sdk.ParentBasedSampler({ root: ratio });
  }
}
