/**
 * The closed set of failure kinds the domain and the stores report. Each maps
 * to exactly one transport code in `service/error-codes.ts`.
 */
export type DomainErrorCode =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "failed_precondition"
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

/**
 * Reports that the database connection was lost (or the call's deadline
 * passed) after COMMIT was sent and before its answer came: the changes were
 * committed entirely or not at all, and which is unknown. Retrying an
 * idempotent call (RemoveSessions) is safe.
 */
export function outcomeUnknown(cause: unknown): DomainError {
  return new DomainError(
    "unavailable",
    "the connection to the session database was lost while committing: the outcome is unknown (all or nothing was committed); retry the call, it is idempotent",
    undefined,
    { cause },
  );
}

/**
 * Reports that a call's deadline passed, or a statement ran longer than the
 * server allows (`--max-statement-ms`), before the database answered. The
 * transaction was rolled back and nothing of it was committed.
 */
export function deadlineExceeded(message: string, cause?: unknown): DomainError {
  return new DomainError("deadline_exceeded", message, undefined, cause === undefined ? undefined : { cause });
}

/** Whether the value is a DomainError. */
export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
