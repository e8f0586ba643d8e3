import type { Logger } from "pino";

/** A stop that must end in time. */
export interface ExitDeadline {
  /** The stop is complete: the process is given a moment to end on its own, then ended. */
  stopped(): void;
}

// After a complete stop, how long whatever is left (a DNS lookup in the
// system resolver, which cannot be cancelled) may keep the process alive.
const drainMs = 1000;

/**
 * Ends the process `ms` from now if it has not ended by then, logging what
 * was still pending: the stop's own account of unfinished work and the
 * resources keeping the event loop alive. Exit code 1 if the stop was not
 * complete, 0 if it was and only leftovers remained.
 */
export function armExitDeadline(
  ms: number,
  unfinished: () => object,
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): ExitDeadline {
  const endsAt = Date.now() + ms;
  let complete = false;
  const fire = () => {
    const resources = process.getActiveResourcesInfo();
    if (complete) logger.warn({ resources }, "stopped; ending the process although work is still pending");
    else logger.error({ ...unfinished(), resources }, `not stopped ${ms} ms after the stop began; ending the process`);
    exit(complete ? 0 : 1);
  };
  let timer = setTimeout(fire, ms);
  timer.unref();
  return {
    stopped() {
      complete = true;
      clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(drainMs, endsAt - Date.now())));
      timer.unref();
    },
  };
}
