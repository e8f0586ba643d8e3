import { judgeResponse } from "../domain/delivery-verdict.js";
import { nextRetryDelayMs, type RetrySchedule } from "../domain/retry-schedule.js";
import type { AttemptOutcome } from "../store/notification-outbox.js";
import type { PostResult } from "./logout-poster.js";

/** What a retry decision needs besides the result. */
export interface OutcomeContext {
  /** Attempts made before this one. */
  attemptsBefore: number;
  schedule: RetrySchedule;
  now: Date;
  random?: () => number;
}

/**
 * Turns the result of a POST into the outcome to record: delivered on 2xx;
 * for failures that may pass, failed with the next attempt scheduled, or dead
 * when the schedule has run out; dead at once for final failures. Errors
 * carry the status and the start of the answer, for operators.
 */
export function attemptOutcome(result: PostResult, context: OutcomeContext): AttemptOutcome {
  const at = context.now;
  if ("error" in result) return result.final ? { status: "dead", at, error: result.error } : retryOrDead(context, result.error);
  const verdict = judgeResponse(result.statusCode, result.retryAfter, at);
  if (verdict.kind === "delivered") return { status: "delivered", at, statusCode: result.statusCode };
  const error = describeAnswer(result.statusCode, result.body);
  if (verdict.kind === "final") return { status: "dead", at, statusCode: result.statusCode, error };
  return retryOrDead(context, error, result.statusCode, verdict.retryAfterMs);
}

function retryOrDead(context: OutcomeContext, error: string, statusCode?: number, retryAfterMs?: number): AttemptOutcome {
  const at = context.now;
  const code = statusCode === undefined ? {} : { statusCode };
  const delay = nextRetryDelayMs(context.schedule, context.attemptsBefore + 1, retryAfterMs, context.random);
  if (delay === undefined) return { status: "dead", at, ...code, error: `${error} (no attempts left)` };
  return { status: "failed", at, ...code, error, nextAttemptAt: new Date(at.getTime() + delay) };
}

function describeAnswer(statusCode: number, body: string): string {
  const redirect = statusCode >= 300 && statusCode < 400 ? " (redirects are not followed)" : "";
  const text = body.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, 200);
  return `HTTP ${statusCode}${redirect}${text === "" ? "" : `: ${text}`}`;
}
