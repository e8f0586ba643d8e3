import type { Logger } from "pino";
import { createTerminationRunner, type TerminationRunner, type TerminationRunnerObserver } from "../jobs/termination-runner.js";
import type { Stores } from "../store/stores.js";
import type { Config } from "./config.js";

/** Starts running termination jobs as configured, reporting to `observer` (the metrics); it looks for one at once. */
export function startTerminationRunner(
  config: Config,
  stores: Stores,
  notifier: { wake(): void },
  logger: Logger,
  observer?: TerminationRunnerObserver,
): TerminationRunner {
  const runner = createTerminationRunner(
    { pollMs: config.terminationPollMs, batchSize: config.terminationBatchSize, leaseMs: config.terminationLeaseMs, maxFailures: 5 },
    { stores, logger, notifier, observer },
  );
  runner.start();
  return runner;
}
