import { AsyncLocalStorage } from "node:async_hooks";

/** The RPC on whose behalf database statements run: when it ends, they must stop. */
export interface CallDeadline {
  /** Aborted when the call is cancelled or its deadline passes. */
  signal: AbortSignal;
  /** When the call's deadline passes (epoch ms); undefined when the client set none. */
  deadline?: number;
}

// Carried implicitly so that every statement a handler causes, through any
// store, is bounded by its call without each store method taking a signal.
const current = new AsyncLocalStorage<CallDeadline>();

/** Runs `work` (and everything it starts) on behalf of `call`. */
export function runForCall<T>(call: CallDeadline, work: () => T): T {
  return current.run(call, work);
}

/** The call the current statement runs for, if any (background jobs have none). */
export function currentCall(): CallDeadline | undefined {
  return current.getStore();
}

/** Runs `work` outside any call: for shared work a call starts but others wait on too. */
export function detachedFromCall<T>(work: () => T): T {
  return current.exit(work);
}
