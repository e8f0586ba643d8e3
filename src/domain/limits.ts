import { invalidArgument } from "./errors.js";

/**
 * Size limits of stored values, in Unicode code points. Columns are sized so
 * that any value within these limits fits (4 bytes per code point).
 */
export const limits = {
  /** subject ids, session ids, client ids, session keys */
  identifier: 200,
  displayName: 200,
  issuer: 500,
  scheme: 100,
  /** a persisted grant's description */
  grantDescription: 200,
  /** client ids in one RemoveSessions request */
  clientIdsPerRequest: 1000,
  /** characters of a results token; real ones are under 100 */
  resultsToken: 512,
  /** notification ids in one RetryNotifications request */
  notificationIdsPerRequest: 1000,
} as const;

/**
 * Byte limits of the opaque payloads identity providers store (session
 * tickets, grant data) and of the list pages that return them. Each is
 * configurable; these are the defaults.
 */
export interface PayloadLimits {
  /** Largest session ticket accepted, in bytes. */
  ticketBytes: number;
  /** Largest grant `data` accepted, in bytes. */
  grantDataBytes: number;
  /**
   * What one page of GetSessions or ListGrants may hold, in bytes of encoded
   * rows: a page ends early rather than go beyond it (but always holds one
   * row). Well below the 4 MiB clients accept by default.
   */
  pageBytes: number;
}

/** The defaults: a ticket of tens of KB is already a large one (Duende's are a few KB). */
export const defaultPayloadLimits: PayloadLimits = { ticketBytes: 64 * 1024, grantDataBytes: 64 * 1024, pageBytes: 1024 * 1024 };

/**
 * Validates an opaque payload's size: at most `maxBytes`, else INVALID_ARGUMENT
 * naming the field (the request as a whole was within the message size limit;
 * this value is out of range, and sending it again cannot succeed).
 */
export function boundedPayload(field: string, value: Uint8Array, maxBytes: number): Uint8Array {
  if (value.byteLength > maxBytes) throw invalidArgument(field, `must be at most ${maxBytes} bytes (is ${value.byteLength})`);
  return value;
}
