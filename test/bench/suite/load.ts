/** What one closed-loop run measured. */
export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  /** The first few distinct error messages. */
  errorSamples: string[];
  elapsedMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** The operation ran out of prepared data before the end of the run (removal scenarios). */
  exhausted: boolean;
}

/** Returned by an operation that has nothing left to do (e.g. no subject left to remove). */
export const exhausted = Symbol("exhausted");

/** One request; `worker` is the index of the calling worker. */
export type Operation = (worker: number) => Promise<void | typeof exhausted>;

/**
 * Runs `concurrency` workers, each issuing one request after the other (a
 * closed loop: a new request as soon as the previous one returns), first for
 * `warmupMs` unmeasured, then for `durationMs` measured. Requests still in
 * flight at the end are awaited but not counted.
 */
export async function closedLoop(
  operation: Operation,
  options: {
    concurrency: number;
    durationMs: number;
    warmupMs: number;
    /** The run goes on past its duration until this many calls have ended in it (3 by default), so that calls slower than the duration are measured too. */
    minSamples?: number;
    measuring?: { start(): void; stop(): void };
  },
): Promise<LoadResult> {
  const minSamples = options.minSamples ?? 3;
  let overtime = false;
  let stopNow = () => {};
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  let ranOut = false;
  let phase: "warmup" | "measure" | "done" = options.warmupMs > 0 ? "warmup" : "measure";
  let measureStart = performance.now();
  let measureEnd = 0;

  const worker = async (index: number) => {
    while (phase !== "done" && !ranOut) {
      const counted = phase === "measure";
      const t0 = performance.now();
      try {
        if ((await operation(index)) === exhausted) {
          ranOut = true;
          break;
        }
        const t1 = performance.now();
        if (counted && phase === "measure") latencies.push(t1 - t0);
      } catch (error) {
        if (counted && phase === "measure") {
          errors++;
          if (errorSamples.size < 3) errorSamples.add(describe(error));
        }
      }
      if (overtime && latencies.length + errors >= minSamples) stopNow();
    }
  };

  const timers: NodeJS.Timeout[] = [];
  const finished = new Promise<void>((resolve) => {
    const stop = () => {
      if (phase === "done") return;
      phase = "done";
      overtime = false;
      measureEnd = performance.now();
      options.measuring?.stop();
      resolve();
    };
    stopNow = stop;
    // At the end of the duration, a run with too few calls ended goes on until it has them.
    const durationEnded = () => {
      if (latencies.length + errors >= minSamples || ranOut) stop();
      else overtime = true;
    };
    const startMeasuring = () => {
      phase = "measure";
      measureStart = performance.now();
      options.measuring?.start();
      timers.push(setTimeout(durationEnded, options.durationMs));
    };
    if (phase === "warmup") timers.push(setTimeout(startMeasuring, options.warmupMs));
    else {
      options.measuring?.start();
      timers.push(setTimeout(durationEnded, options.durationMs));
    }
    // Workers that run out of data end the run early.
    timers.push(setInterval(() => ranOut && stop(), 20));
  });
  const workers = Array.from({ length: options.concurrency }, (_, i) => worker(i));
  await finished;
  for (const t of timers) clearTimeout(t);
  await Promise.all(workers);

  const elapsedMs = Math.max(1, measureEnd - measureStart);
  latencies.sort((a, b) => a - b);
  const q = (p: number) => (latencies.length === 0 ? NaN : latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!);
  return {
    concurrency: options.concurrency,
    requests: latencies.length,
    errors,
    errorSamples: [...errorSamples],
    elapsedMs,
    requestsPerSecond: (latencies.length / elapsedMs) * 1000,
    latencyMs: {
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      max: latencies.at(-1) ?? NaN,
      mean: latencies.length === 0 ? NaN : latencies.reduce((a, b) => a + b, 0) / latencies.length,
    },
    exhausted: ranOut,
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "details" in error) return `code ${(error as unknown as { code: unknown }).code}: ${(error as { details: unknown }).details}`;
  return String(error);
}
