import { invalidArgument } from "./errors.js";

/**
 * Refuses an expiry before the session's creation: such a session would be
 * over before it began, which is a client's mistake (a wrong time zone, a
 * duration taken for a time), not a session to record. `field` names the
 * expiry in the error. An expiry equal to the creation time is accepted.
 */
export function checkExpiresNotBeforeCreated(field: string, created: Date, expires: Date | null | undefined): void {
  if (expires === undefined || expires === null || expires.getTime() >= created.getTime()) return;
  throw invalidArgument(field, `must not be before created (${created.toISOString()})`);
}
