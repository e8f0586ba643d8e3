import { Code, ConnectError } from "@connectrpc/connect";
import { isDomainError, type DomainErrorCode } from "../domain/errors.js";

const codes: Record<DomainErrorCode, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  failed_precondition: Code.FailedPrecondition,
  unavailable: Code.Unavailable,
  deadline_exceeded: Code.DeadlineExceeded,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
};

/**
 * The one place where failures become RPC status codes. Domain errors keep
 * their message; ConnectErrors raised by the framework (deadlines,
 * cancellation, limits) pass through; anything else is internal, and its
 * cause must not reach the client.
 */
export function toConnectError(error: unknown): { error: ConnectError; internal: boolean } {
  if (isDomainError(error)) return { error: new ConnectError(error.message, codes[error.code]), internal: false };
  if (error instanceof ConnectError) return { error, internal: error.code === Code.Internal || error.code === Code.Unknown };
  if (error instanceof Error && error.name === "AbortError") {
    return { error: new ConnectError("the call was cancelled", Code.Canceled), internal: false };
  }
  return { error: new ConnectError("internal error", Code.Internal), internal: true };
}
