import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/ts/grpc/health/v1/health_pb.js";

/** The serving status of the server ("") and of each service, as health checks report it. */
export interface HealthState {
  /** Marks the whole server and every service as serving or not. */
  setServing(serving: boolean): void;
  /** Marks everything NOT_SERVING for good (the server is shutting down): watches end after telling so. */
  shutDown(): void;
  /** Whether shutDown() was called. */
  readonly shuttingDown: boolean;
  /** The status of a service, "" for the server; undefined for an unknown service. */
  status(service: string): Status | undefined;
  /** Calls `listener` on every change until `signal` aborts. */
  onChange(listener: () => void, signal: AbortSignal): void;
}

/** Starts NOT_SERVING: the server reports ready once its database answers. */
export function createHealthState(serviceNames: readonly string[]): HealthState {
  const statuses = new Map<string, Status>(["", ...serviceNames].map((name) => [name, Status.NOT_SERVING]));
  const listeners = new Set<() => void>();
  let shuttingDown = false;
  const set = (next: Status) => {
    for (const name of statuses.keys()) statuses.set(name, next);
    for (const listener of listeners) listener();
  };
  return {
    setServing(serving) {
      const next = serving ? Status.SERVING : Status.NOT_SERVING;
      if (shuttingDown || statuses.get("") === next) return;
      set(next);
    },
    shutDown() {
      shuttingDown = true;
      set(Status.NOT_SERVING);
    },
    get shuttingDown() {
      return shuttingDown;
    },
    status: (service) => statuses.get(service),
    onChange(listener, signal) {
      listeners.add(listener);
      signal.addEventListener("abort", () => listeners.delete(listener), { once: true });
    },
  };
}

/** Registers grpc.health.v1.Health: Check and Watch over the shared state. */
export function registerHealth(router: ConnectRouter, state: HealthState): void {
  router.service(Health, {
    check(request) {
      const status = state.status(request.service);
      if (status === undefined) throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
      return { status };
    },
    async *watch(request, context) {
      const { signal } = context;
      let changes = 0;
      let wake: (() => void) | undefined;
      state.onChange(() => {
        changes++;
        wake?.();
      }, signal);
      signal.addEventListener("abort", () => wake?.(), { once: true });
      let last: Status | undefined;
      while (!signal.aborted) {
        const seen = changes;
        const status = state.status(request.service) ?? Status.SERVICE_UNKNOWN;
        if (status !== last) {
          last = status;
          yield { status };
        }
        // A shutdown ends the watch once it is told, so it does not hold the server open.
        if (state.shuttingDown) return;
        // A change during the yield is picked up at once; otherwise wait for one.
        if (changes === seen && !signal.aborted) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
  });
}
