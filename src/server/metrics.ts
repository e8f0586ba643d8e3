import type { Interceptor } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TerminationRunnerObserver } from "../jobs/termination-runner.js";
import type { Stores } from "../store/stores.js";
import type { SweepCounts } from "../sweeper/sweeper.js";

/** The server's Prometheus metrics, on a registry of its own (several servers can share a process in tests). */
export interface Metrics {
  readonly registry: Registry;
  /** Counts calls by method and status code, and times them. */
  readonly rpcInterceptor: Interceptor;
  /** Counts and times a call the interceptors did not see (the framework answered it early), like the others. */
  observeCall(call: { service: string; method: string; code: Code; seconds: number }): void;
  /** Counts one logout notification attempt by how it ended ("lost": the claim ran out before the outcome was written). */
  notificationAttempt(outcome: "delivered" | "failed" | "dead" | "lost"): void;
  /** Adds what one sweep removed and queued. */
  swept(counts: SweepCounts): void;
  /** What the termination jobs of this instance do: batches run, jobs ended here (cancelled: by a call to this instance). */
  readonly jobs: TerminationRunnerObserver & { cancelled(): void };
  /** Reports the database pool, the outbox backlog and the active termination jobs of these stores at each scrape. */
  observeStores(stores: Pick<Stores, "poolUsage" | "outbox" | "jobs">): void;
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
  // Each method's label children, made once: prom-client would otherwise
  // hash the label object of every call, twice.
  const perMethod = new Map<string, { seconds: ReturnType<typeof seconds.labels>; handled: Map<string, ReturnType<typeof handled.labels>> }>();
  const methodMetrics = (service: string, method: string) => {
    const key = `${service}/${method}`;
    let found = perMethod.get(key);
    if (found === undefined) perMethod.set(key, (found = { seconds: seconds.labels(service, method), handled: new Map() }));
    return found;
  };
  const count = (m: ReturnType<typeof methodMetrics>, service: string, method: string, code: string) => {
    let counter = m.handled.get(code);
    if (counter === undefined) m.handled.set(code, (counter = handled.labels(service, method, code)));
    counter.inc();
  };
  const rpcInterceptor: Interceptor = (next) => async (request) => {
    const service = request.service.typeName;
    const method = request.method.name;
    const m = methodMetrics(service, method);
    const started = performance.now();
    let code = "OK";
    try {
      return await next(request);
    } catch (error) {
      code = Code[ConnectError.from(error).code] ?? "Unknown";
      throw error;
    } finally {
      m.seconds.observe((performance.now() - started) / 1000);
      count(m, service, method, code);
    }
  };
  const attempts = new Counter({
    name: "logout_notification_attempts_total",
    help: "Back-channel logout notification attempts by this instance, by outcome (delivered, failed: retried later, dead: given up).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const sweptTotal = new Counter({
    name: "sweeper_removed_total",
    help: "What the expired-session sweeper of this instance removed or queued, by kind.",
    labelNames: ["kind"],
    registers: [registry],
  });
  const sweeps = new Counter({ name: "sweeper_runs_total", help: "Sweeps that removed something.", registers: [registry] });
  const jobs = terminationJobMetrics(registry);
  return {
    registry,
    rpcInterceptor,
    observeCall(call) {
      const m = methodMetrics(call.service, call.method);
      m.seconds.observe(call.seconds);
      count(m, call.service, call.method, Code[call.code] ?? "Unknown");
    },
    notificationAttempt: (outcome) => attempts.inc({ outcome }),
    jobs,
    swept(counts) {
      if (counts.batches > 0) sweeps.inc();
      sweptTotal.inc({ kind: "sessions" }, counts.sessionsRemoved);
      sweptTotal.inc({ kind: "tokens" }, counts.tokensRevoked);
      sweptTotal.inc({ kind: "notifications_queued" }, counts.notificationsQueued);
      sweptTotal.inc({ kind: "grants" }, counts.grantsRemoved);
      sweptTotal.inc({ kind: "notifications_delivered" }, counts.notificationsRemoved);
    },
    observeStores(stores) {
      new Gauge({
        name: "db_pool_connections",
        help: "Database connections of this instance's pool, by state (in_use, idle), and calls waiting for one (waiting).",
        labelNames: ["state"],
        registers: [registry],
        collect() {
          const usage = stores.poolUsage();
          this.set({ state: "in_use" }, usage.inUse);
          this.set({ state: "idle" }, usage.size - usage.inUse);
          this.set({ state: "waiting" }, usage.waiting);
        },
      });
      new Gauge({
        name: "logout_notifications_queued",
        help: "Back-channel logout notifications in the shared outbox by status: pending and failed wait for delivery, dead gave up.",
        labelNames: ["status"],
        // Every worker of a cluster reads the same outbox: summing would count it once per worker.
        aggregator: "max",
        registers: [registry],
        async collect() {
          // An unreachable database leaves the last values; /readyz tells why.
          const backlog = await stores.outbox.backlog().catch(() => undefined);
          if (backlog === undefined) return;
          for (const [status, count] of Object.entries(backlog)) this.set({ status }, count);
        },
      });
      new Gauge({
        name: "termination_jobs_active",
        help: "Termination jobs in the shared database that have not ended, by state: pending (waiting for a runner) and running.",
        labelNames: ["state"],
        // Every worker of a cluster reads the same table: summing would count it once per worker.
        aggregator: "max",
        registers: [registry],
        async collect() {
          const active = await stores.jobs.countActive().catch(() => undefined);
          if (active === undefined) return;
          for (const [state, count] of Object.entries(active)) this.set({ state }, count);
        },
      });
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

/**
 * The termination job metrics of an instance: counters and a histogram,
 * summed over the workers of a cluster (and by Prometheus over instances).
 */
function terminationJobMetrics(registry: Registry): Metrics["jobs"] {
  const ended = new Counter({
    name: "termination_jobs_ended_total",
    help: "Termination jobs that ended on this instance, by final state: succeeded and failed where the job ran, cancelled where the cancel call was served.",
    labelNames: ["state"],
    registers: [registry],
  });
  const terminated = new Counter({
    name: "termination_job_terminated_total",
    help: "What termination jobs did in committed batches on this instance, by kind: sessions ended, tokens and consents revoked, notifications queued.",
    labelNames: ["kind"],
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: "termination_job_batch_seconds",
    help: "Time of each committed termination job batch on this instance, from its start to its commit.",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const batchFailures = new Counter({
    name: "termination_job_batch_failures_total",
    help: "Termination job batches that failed and rolled back on this instance (retried; after repeated failures the job fails).",
    registers: [registry],
  });
  // Zero from the start, so that rates and alerts see every series.
  for (const state of ["succeeded", "cancelled", "failed"]) ended.inc({ state }, 0);
  const kinds = { sessions: terminated.labels("sessions"), tokens: terminated.labels("tokens"), consents: terminated.labels("consents"), notifications: terminated.labels("notifications") };
  for (const counter of Object.values(kinds)) counter.inc(0);
  return {
    batch(counts, seconds) {
      for (const [kind, counter] of Object.entries(kinds)) counter.inc(counts[kind as keyof typeof kinds]);
      batchSeconds.observe(seconds);
    },
    batchFailed: () => batchFailures.inc(),
    ended: (state) => ended.inc({ state }),
    cancelled: () => ended.inc({ state: "cancelled" }),
  };
}
