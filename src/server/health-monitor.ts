import type { Logger } from "pino";
import type { HealthState } from "../service/health.js";
import type { Stores } from "../store/stores.js";

/** Whether the server can serve: its database answers and it is not shutting down. */
export interface HealthMonitor {
  readonly ready: boolean;
  /** Settles once the first check is done, so a server can report its real status from its first call. */
  readonly firstCheck: Promise<void>;
  /** Reports NOT_SERVING from now on (shutdown) and stops checking. */
  stop(): void;
}

/**
 * Checks the database now and every `intervalMs`, and reports the result to
 * the health service (SERVING / NOT_SERVING for the server and every
 * service) and to /readyz. A check that takes longer than the interval
 * counts as a failure.
 */
export function startHealthMonitor(stores: Pick<Stores, "ping">, state: HealthState, intervalMs: number, logger: Logger): HealthMonitor {
  let ready = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    let timeout: NodeJS.Timeout | undefined;
    const reachable = await Promise.race([
      stores.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), intervalMs))),
    ]);
    clearTimeout(timeout);
    if (stopped) return;
    if (reachable !== ready) logger[reachable ? "info" : "warn"]({ serving: reachable }, reachable ? "database reachable: serving" : "database unreachable: not serving");
    ready = reachable;
    state.setServing(reachable);
    timer = setTimeout(() => void check(), intervalMs);
    timer.unref();
  };
  const firstCheck = check();
  return {
    firstCheck,
    get ready() {
      return ready && !stopped;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      state.shutDown();
    },
  };
}
