import { pino, type Logger } from "pino";

/**
 * Structured JSON logs on stderr, so stdout stays free for command output.
 * Writes are asynchronous: lines logged while a write is under way go out
 * together in the next one, so a busy server makes one system call for many
 * calls' lines instead of one each. pino flushes what is pending when the
 * process exits.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "session-management" } }, pino.destination({ fd: 2, sync: false }));
}
