import { Code, ConnectError } from "@connectrpc/connect";

/** The exit codes sessionctl promises to scripts. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  denied: 3,
  notFound: 4,
  unreachable: 5,
  interrupted: 130,
} as const;

/** A mistake in the command line: printed with a hint to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failure already phrased for the operator, with its exit code. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

// Node's network error codes, in words an operator recognises.
const networkProblems: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "connection closed",
};

/**
 * Turns any failure of a command into the message and exit code the
 * operator sees: usage errors, refused keys, missing permissions, unknown
 * names, an unreachable server, and everything else.
 */
export function describeFailure(error: unknown, address: string): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: `${error.message}\nRun with --help for usage.`, exitCode: ExitCode.usage };
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  const network = networkCause(error);
  if (network !== undefined) return { message: `cannot reach ${address}: ${network}`, exitCode: ExitCode.unreachable };
  if (error instanceof ConnectError) {
    switch (error.code) {
      case Code.Unauthenticated:
        return { message: `the key was refused (UNAUTHENTICATED): ${error.rawMessage}`, exitCode: ExitCode.denied };
      case Code.PermissionDenied: {
        // "(sessions.write)", or "(sessions.write or sessions.self)" for a method end users may call on their own sessions: an operator needs the first.
        const permission = /\(([a-z]+\.[a-z]+)(?: or [a-z]+\.[a-z]+)*\)\s*$/.exec(error.rawMessage)?.[1];
        const message = permission !== undefined ? `missing permission: ${permission}` : `permission denied: ${error.rawMessage}`;
        return { message, exitCode: ExitCode.denied };
      }
      case Code.NotFound:
        return { message: `not found: ${error.rawMessage}`, exitCode: ExitCode.notFound };
      case Code.InvalidArgument:
        return { message: `the server refused the request: ${error.rawMessage}`, exitCode: ExitCode.usage };
      case Code.Unavailable:
        return { message: `cannot reach ${address}: ${error.rawMessage}`, exitCode: ExitCode.unreachable };
      case Code.DeadlineExceeded:
        return { message: `${address} did not answer in time`, exitCode: ExitCode.unreachable };
      default:
        return { message: `${Code[error.code]}: ${error.rawMessage}`, exitCode: ExitCode.failure };
    }
  }
  return { message: error instanceof Error ? error.message : String(error), exitCode: ExitCode.failure };
}

/** The network problem behind a failed call, if it never reached the server. */
function networkCause(error: unknown): string | undefined {
  for (let cause: unknown = error, depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && code in networkProblems) return networkProblems[code];
    const message = cause instanceof Error ? cause.message : "";
    const named = Object.keys(networkProblems).find((name) => message.includes(name));
    if (named !== undefined) return networkProblems[named];
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether the failure means no further call can succeed (bad key, no server). */
export function isFatal(error: unknown): boolean {
  const { exitCode } = describeFailure(error, "");
  return exitCode === ExitCode.denied || exitCode === ExitCode.unreachable;
}

/**
 * Whether a streaming call broke on the way (the connection, the server
 * going away, a reset stream), so that calling again can carry on; not a
 * refusal of the request. Callers that cancel a call themselves check that first.
 */
export function isBrokenConnection(error: unknown): boolean {
  const code = ConnectError.from(error).code;
  return [Code.Unavailable, Code.Internal, Code.Unknown, Code.Aborted, Code.Canceled].includes(code) || describeFailure(error, "").exitCode === ExitCode.unreachable;
}
