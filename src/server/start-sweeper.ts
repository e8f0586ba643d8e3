import type { Logger } from "pino";
import type { Stores } from "../store/stores.js";
import { createSweeper, type Sweeper, type SweeperDeps } from "../sweeper/sweeper.js";
import type { Config } from "./config.js";

/** Starts sweeping expired sessions and stale grants as configured; its first sweep runs one interval from now. */
export function startSweeper(
  config: Config,
  stores: Stores,
  notifier: { wake(): void },
  logger: Logger,
  onSweep?: SweeperDeps["onSweep"],
): Sweeper {
  const sweeper = createSweeper(
    {
      intervalMs: config.sweeperIntervalMs,
      batchSize: config.sweeperBatchSize,
      revokeTokens: config.sweeperRevokeTokens,
      notify: config.sweeperNotify,
      grantRetentionMs: config.grantRetentionMs,
      notificationRetentionMs: config.notificationRetentionMs,
    },
    { stores, logger, notifier, onSweep },
  );
  sweeper.start();
  return sweeper;
}
