/**
 * What an HTTP answer from a relying party means for its notification:
 * delivered, worth another attempt (after at least `retryAfterMs` when the
 * relying party said so), or final.
 */
export type DeliveryVerdict = { kind: "delivered" } | { kind: "retry"; retryAfterMs?: number } | { kind: "final" };

// Request Timeout, Too Early, Too Many Requests: the request itself was fine.
const retryableClientErrors = new Set([408, 425, 429]);

/**
 * Judges the status of a logout token POST: any 2xx is delivered; 408, 425,
 * 429 and 5xx are retried, honouring `Retry-After`; redirects (never
 * followed) and every other status are final.
 */
export function judgeResponse(status: number, retryAfter: string | undefined, now: Date): DeliveryVerdict {
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (retryableClientErrors.has(status) || (status >= 500 && status < 600)) {
    const retryAfterMs = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, now);
    return retryAfterMs === undefined ? { kind: "retry" } : { kind: "retry", retryAfterMs };
  }
  return { kind: "final" };
}

/** A `Retry-After` value (delay-seconds or an HTTP-date) in milliseconds from now; undefined when malformed. */
export function parseRetryAfter(value: string, now: Date): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP-dates name the weekday and end in GMT (RFC 9110, section 5.6.7).
  if (!/^[A-Za-z]{3,9}, .+ GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
