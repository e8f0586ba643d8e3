import { deadlineExceeded } from "../../domain/errors.js";
import { currentCall, type CallDeadline } from "../call-deadline.js";

/** How long one statement may take, and what ends it early. */
export interface StatementBudget {
  /** Milliseconds the statement may run; at least 1. */
  timeoutMs: number;
  /** Whether the call's deadline (rather than the server's maximum) sets `timeoutMs`. */
  byCall: boolean;
  /** The call, whose signal abandons the statement when it aborts. */
  call?: CallDeadline;
}

/** Messages for the ways a statement runs out of time. */
export const timeUp = {
  call: "the call's deadline passed before the session database answered; nothing was committed",
  statement: "a statement ran longer than the server allows (--max-statement-ms); nothing was committed",
  commit:
    "the call's deadline passed while committing: the outcome is unknown (all or nothing was committed); retry the call, it is idempotent",
} as const;

/**
 * The budget of the next statement: what remains of the current call's
 * deadline, capped by `maxStatementMs`. Throws deadline_exceeded when the
 * call's time is up, and the call's abort reason when it was cancelled, so
 * that nothing is sent to the database for a call that has ended.
 */
export function statementBudget(maxStatementMs: number, call: CallDeadline | undefined = currentCall(), now = Date.now()): StatementBudget {
  if (call === undefined) return { timeoutMs: maxStatementMs, byCall: false };
  if (call.signal.aborted) throw callEnded(call, now);
  const remaining = call.deadline === undefined ? Infinity : call.deadline - now;
  // Below a millisecond no statement can finish; timers cannot wait less.
  if (remaining < 1) throw deadlineExceeded(timeUp.call);
  return remaining < maxStatementMs
    ? { timeoutMs: remaining, byCall: true, call }
    : { timeoutMs: maxStatementMs, byCall: false, call };
}

/** The error for a call that has ended: deadline_exceeded once its deadline passed, else why it was aborted. */
export function callEnded(call: CallDeadline, now = Date.now()): unknown {
  if (call.deadline !== undefined && call.deadline - now < 1) return deadlineExceeded(timeUp.call);
  return call.signal.reason ?? deadlineExceeded(timeUp.call);
}
