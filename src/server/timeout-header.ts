/**
 * Caps a requested deadline that is over the server's maximum before the
 * framework reads it. connect-node refuses such a deadline
 * (INVALID_ARGUMENT), but only after arming a timer with it, and a value past
 * 2^31 ms makes Node print a TimeoutOverflowWarning for every such request:
 * any client could flood the server's stderr. A capped value is refused the
 * same way, its message naming the largest deadline allowed plus one.
 */
export function capRequestedTimeout(header: Headers, maxTimeoutMs: number): void {
  const over = String(Math.floor(maxTimeoutMs) + 1);
  const grpc = header.get("grpc-timeout");
  if (grpc !== null && grpcTimeoutMs(grpc) > maxTimeoutMs) header.set("grpc-timeout", `${over}m`);
  const connect = header.get("connect-timeout-ms");
  if (connect !== null && /^\d{1,10}$/.test(connect) && Number(connect) > maxTimeoutMs) header.set("connect-timeout-ms", over);
}

const unitMs: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };

// As the gRPC protocol writes a timeout: up to 8 digits and a unit. Anything
// else is left for the framework to refuse.
function grpcTimeoutMs(value: string): number {
  const parts = /^(\d{1,8})([HMSmun])$/.exec(value);
  return parts === null ? 0 : Number(parts[1]) * unitMs[parts[2]!]!;
}
