import type { Interceptor } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { Counter, Histogram, Registry, collectDefaultMetrics, type Gauge } from "prom-client";

/** The server's Prometheus metrics, on a registry of its own (several servers can share a process in tests). */
export interface Metrics {
  readonly registry: Registry;
  /** Counts calls by method and status code, and times them. */
  readonly rpcInterceptor: Interceptor;
  /** Adds a gauge or counter defined elsewhere (database pool, outbox, sweeper). */
  register(metric: Counter | Gauge | Histogram): void;
  /** The text exposition format for /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * Creates the registry with process metrics and the RPC metrics, named as
 * go-grpc-prometheus names them so existing dashboards work:
 * grpc_server_handled_total{grpc_service, grpc_method, grpc_code} and
 * grpc_server_handling_seconds{grpc_service, grpc_method}.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const handled = new Counter({
    name: "grpc_server_handled_total",
    help: "RPCs completed, by method and status code.",
    labelNames: ["grpc_service", "grpc_method", "grpc_code"],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: "grpc_server_handling_seconds",
    help: "Time from request to response, by method.",
    labelNames: ["grpc_service", "grpc_method"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rpcInterceptor: Interceptor = (next) => async (request) => {
    const labels = { grpc_service: request.service.typeName, grpc_method: request.method.name };
    const stop = seconds.startTimer(labels);
    let code = "OK";
    try {
      return await next(request);
    } catch (error) {
      code = Code[ConnectError.from(error).code] ?? "Unknown";
      throw error;
    } finally {
      stop();
      handled.inc({ ...labels, grpc_code: code });
    }
  };
  return {
    registry,
    rpcInterceptor,
    register: (metric) => registry.registerMetric(metric),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
