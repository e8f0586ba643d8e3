import { Code, ConnectError } from "@connectrpc/connect";
import { limits } from "../../domain/limits.js";

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

/**
 * Whether a key could be stored at all. Token values come from callers (a
 * relying party, anyone at the token endpoint); one longer than any stored
 * key is simply not found, without asking the service (which would reject it
 * as INVALID_ARGUMENT, a server error to the provider).
 */
export function isStorableKey(key: string): boolean {
  return key.length > 0 && Array.from(key).length <= limits.identifier;
}
