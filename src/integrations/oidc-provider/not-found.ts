import { Code, ConnectError } from "@connectrpc/connect";

/** Runs a call whose NOT_FOUND means "nothing there": resolves undefined instead. Other errors propagate. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (ConnectError.from(error).code === Code.NotFound) return undefined;
    throw error;
  }
}

/** Whether an error is the service's ALREADY_EXISTS. */
export function isAlreadyExists(error: unknown): boolean {
  return ConnectError.from(error).code === Code.AlreadyExists;
}
