import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { Config } from "../server/config.js";
import { serveClusterMetrics } from "../server/cluster-metrics.js";
import { prepareShared } from "../server/shared-setup.js";
import type { WorkerMessage } from "./cluster-messages.js";
import { armExitDeadline } from "./exit-deadline.js";

/** What the primary needs from `serve`. */
export interface PrimaryOptions {
  /** Resolves when the primary itself is asked to stop (signal, parent gone). */
  stop: Promise<string>;
  /** Beyond the grace period, how long the workers may take to end. */
  exitMarginMs: number;
  /** Shows a generated admin key, once the ports are known. */
  showAdminKey(key: string, listening: { port: number; httpPort: number; tls: boolean }): void;
}

// A worker that ends unexpectedly is replaced after this long, doubling
// while replacements keep dying young, so a crash loop does not spin.
const restartDelayMs = 500;
const maxRestartDelayMs = 30_000;
const youngMs = 10_000;

/**
 * Runs the primary of `--workers N`: prepares the shared database once
 * (schema, secrets, keys, clients file), forks N workers that serve the same
 * ports (node:cluster hands them the connections), replaces a worker that
 * dies, aggregates /metrics, and stops every worker when it or any worker is
 * asked to stop, within the grace period plus the margin. A worker that
 * cannot start (bad port, database gone) stops them all with exit code 1.
 */
export async function runPrimary(config: Config, logger: Logger, options: PrimaryOptions): Promise<number> {
  let generatedAdminKey: string | undefined;
  try {
    ({ generatedAdminKey } = await prepareShared(config, logger));
  } catch (err) {
    logger.fatal({ err }, "cannot prepare the database for the workers");
    return 1;
  }
  serveClusterMetrics(logger);

  const running = new Set<Worker>();
  let stopping = false;
  let failed = false;
  let restartDelay = restartDelayMs;
  let requestStop!: (reason: string) => void;
  const stopFromWorkers = new Promise<string>((resolve) => (requestStop = resolve));
  const allEnded = () => new Promise<void>((resolve) => (running.size === 0 ? resolve() : cluster.once("exit", () => void allEnded().then(resolve))));

  const fork = () => {
    const worker = cluster.fork();
    const started = Date.now();
    let listened = false;
    running.add(worker);
    worker.on("message", (message: WorkerMessage) => {
      if (message?.type === "session-management:listening") {
        if (!listened && generatedAdminKey !== undefined) {
          options.showAdminKey(generatedAdminKey, message);
          generatedAdminKey = undefined;
        }
        listened = true;
      } else if (message?.type === "session-management:stop") requestStop(`worker ${worker.id}: ${message.reason}`);
    });
    worker.on("exit", (code, signal) => {
      running.delete(worker);
      if (stopping) return;
      if (!listened) {
        logger.fatal({ worker: worker.id, pid: worker.process.pid, code, signal }, "a worker could not start; stopping all");
        failed = true;
        requestStop("a worker could not start");
        return;
      }
      restartDelay = Date.now() - started < youngMs ? Math.min(maxRestartDelayMs, restartDelay * 2) : restartDelayMs;
      logger.error({ worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: restartDelay }, "a worker ended unexpectedly; replacing it");
      setTimeout(() => stopping || fork(), restartDelay);
    });
  };
  for (let i = 0; i < config.workers; i++) fork();
  logger.info({ workers: config.workers }, "workers started");

  const reason = await Promise.race([options.stop, stopFromWorkers]);
  stopping = true;
  logger.info({ reason }, "stopping");
  const deadline = armExitDeadline(config.shutdownGraceMs + options.exitMarginMs, () => ({ workers: [...running].map((w) => w.process.pid) }), logger);
  for (const worker of running) {
    try {
      worker.process.kill("SIGTERM");
    } catch {
      // Already gone.
    }
  }
  await allEnded();
  logger.info("stopped");
  deadline.stopped();
  return failed ? 1 : 0;
}
