/** How often, and how far apart, a notification is attempted. */
export interface RetrySchedule {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Upper bound of the delay after the first failed attempt; it doubles after each further one. */
  baseDelayMs: number;
  /** No delay bound grows beyond this. */
  maxDelayMs: number;
}

/**
 * The delay before the next attempt after `attemptsMade` attempts failed, or
 * undefined when none is left. Exponential backoff with full jitter: uniform
 * in [0, min(maxDelayMs, baseDelayMs · 2^(attemptsMade − 1))], so relying
 * parties that come back up are not hit by every instance's retries at once.
 * A `Retry-After` from the relying party is a lower bound, itself capped at
 * `maxDelayMs`.
 */
export function nextRetryDelayMs(
  schedule: RetrySchedule,
  attemptsMade: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  if (attemptsMade >= schedule.maxAttempts) return undefined;
  const bound = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.floor(random() * bound);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, schedule.maxDelayMs));
}
