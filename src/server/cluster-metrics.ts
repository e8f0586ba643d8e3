import cluster from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import type { Logger } from "pino";
import type { Metrics } from "./metrics.js";

const request = "session-management:metrics-request";
const answer = "session-management:metrics-answer";
// prom-client gives up on workers that do not answer after 5 s.
const answerWithinMs = 6000;

interface MetricsAnswer {
  type: typeof answer;
  id: number;
  body?: string;
  error?: string;
}

/**
 * In the primary of a cluster: answers a worker's request for /metrics with
 * the metrics of every worker, aggregated by prom-client (counters and
 * histograms summed; gauges as each declares).
 */
export function serveClusterMetrics(logger: Logger): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: { type?: unknown; id?: unknown }) => {
    if (message?.type !== request) return;
    const reply = (fields: Omit<MetricsAnswer, "type" | "id">) => {
      if (worker.isConnected()) worker.send({ type: answer, id: message.id, ...fields });
    };
    aggregator.clusterMetrics().then(
      (body) => reply({ body }),
      (err: unknown) => {
        logger.warn({ err }, "aggregating the workers' metrics failed");
        reply({ error: String((err as Error)?.message ?? err) });
      },
    );
  });
}

/**
 * In a worker: the same metrics, rendered as the sum over every worker (the
 * primary gathers them), so that any worker's /metrics tells the whole
 * server. Falls back to this worker's own figures, with a comment saying
 * so, when the primary does not answer.
 */
export function clusterWideMetrics(metrics: Metrics): Metrics {
  // Constructed for its side effect: a worker answers the primary's requests for its registry.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
  let nextId = 0;
  const pending = new Map<number, (answer: MetricsAnswer | undefined) => void>();
  process.on("message", (message: MetricsAnswer) => {
    if (message?.type === answer) pending.get(message.id)?.(message);
  });
  const ask = () =>
    new Promise<MetricsAnswer | undefined>((resolve) => {
      const id = nextId++;
      const done = (value: MetricsAnswer | undefined) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(value);
      };
      const timer = setTimeout(() => done(undefined), answerWithinMs);
      pending.set(id, done);
      process.send!({ type: request, id }, undefined, {}, (error) => error && done(undefined));
    });
  return {
    ...metrics,
    async render() {
      const reply = await ask();
      if (reply?.body !== undefined) return { contentType: metrics.registry.contentType, body: reply.body };
      const own = await metrics.render();
      return { ...own, body: `# this worker only: the other workers' metrics could not be gathered (${reply?.error ?? "no answer"})\n${own.body}` };
    },
  };
}
