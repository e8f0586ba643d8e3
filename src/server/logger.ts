import { pino, type Logger } from "pino";

/**
 * Structured JSON logs on stderr, so stdout stays free for command output.
 * Writes are asynchronous: lines logged while a write is under way go out
 * together in the next one, so a busy server makes one system call for many
 * calls' lines instead of one each. pino flushes what is pending when the
 * process exits. With tracing, `fields` adds the current trace and span ids
 * to every line; without it nothing is added or asked.
 */
export function createLogger(level: string, fields?: () => object): Logger {
  return pino({ level, base: { service: "session-management" }, ...(fields ? { mixin: fields } : {}) }, pino.destination({ fd: 2, sync: false }));
}
