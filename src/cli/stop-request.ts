import type { Logger } from "pino";

/** What may ask the server to stop besides SIGTERM and SIGINT. */
export interface StopRequestOptions {
  /** Also stop when the parent process goes away (this process is orphaned). */
  watchParent: boolean;
  /** The parent's process id when this process started (read early: the parent may die while the server starts). */
  parentPid: number;
  /** How often the parent is checked. */
  parentPollMs?: number;
}

/**
 * Resolves with the reason once the process is asked to stop: SIGTERM,
 * SIGINT, or (when watched) its parent gone. The signal handlers stay
 * installed, so a repeated signal (Ctrl-C reaches both npm and the server,
 * and npm passes it on) is logged and changes nothing: it cannot kill the
 * process halfway through a clean stop, which always ends in time by itself.
 */
export function stopRequested(options: StopRequestOptions, logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    let requested = false;
    const request = (reason: string) => {
      if (requested) return logger.info({ reason }, "already stopping");
      requested = true;
      resolve(reason);
    };
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => request(signal));
    if (!options.watchParent) return;
    // An orphan is adopted by init or a subreaper: its parent id changes.
    const timer = setInterval(() => {
      if (process.ppid === options.parentPid) return;
      clearInterval(timer);
      request("the parent process exited");
    }, options.parentPollMs ?? 500);
    timer.unref();
  });
}
