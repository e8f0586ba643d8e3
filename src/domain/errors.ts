/**
 * The closed set of failure kinds the domain and the stores report. Each maps
 * to exactly one transport code in `service/error-codes.ts`.
 */
export type DomainErrorCode =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "unavailable"
  | "deadline_exceeded"
  | "unauthenticated"
  | "permission_denied";

/**
 * A failure whose message may be shown to the caller. Anything that is not a
 * DomainError is treated as internal: logged, never shown.
 */
export class DomainError extends Error {
  override name = "DomainError";

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The request field at fault, for invalid_argument. */
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Reports bad input in a request field; the message names the field. */
export function invalidArgument(field: string, problem: string): DomainError {
  return new DomainError("invalid_argument", `${field}: ${problem}`, field);
}

/** Reports that the database cannot be reached or is overloaded (retryable). */
export function unavailable(cause: unknown): DomainError {
  return new DomainError("unavailable", "the session database is unavailable, try again", undefined, { cause });
}

/** Whether the value is a DomainError. */
export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
