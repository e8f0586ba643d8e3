import { pino, type Logger } from "pino";

// Lines are written once this much is buffered, or at the latest this often.
const batchBytes = 4096;
const flushEveryMs = 100;

/**
 * Structured JSON logs on stderr, so stdout stays free for command output.
 * Writes are asynchronous and batched: lines are buffered until 4 KiB have
 * gathered or 100 ms have passed, so a busy server makes one system call
 * for a dozen calls' lines instead of one each (a measured share of its CPU
 * per call). pino flushes what is pending when the process exits; a process
 * killed outright (SIGKILL) loses at most the last 100 ms of lines. With
 * tracing, `fields` adds the current trace and span ids to every line;
 * without it nothing is added or asked.
 */
export function createLogger(level: string, fields?: () => object): Logger {
  return pino(
    { level, base: { service: "session-management" }, ...(fields ? { mixin: fields } : {}) },
    pino.destination({ fd: 2, sync: false, minLength: batchBytes, periodicFlush: flushEveryMs }),
  );
}
