import { parseArgs } from "node:util";

/** One dataset size: a label used in database names and reports, and its session count. */
export interface DatasetSize {
  label: string;
  sessions: number;
}

/** Everything a suite run needs to know, from the command line. */
export interface SuiteOptions {
  quick: boolean;
  sizes: DatasetSize[];
  concurrency: number[];
  durationMs: number;
  warmupMs: number;
  pageSize: number;
  /** Scenario names to run; all when empty. */
  scenarios: string[];
  /** Concurrencies at which Duende's strategy runs (the lowest of `concurrency` by default). */
  duendeConcurrency: number[];
  /** Which implementations to measure for each scenario. */
  targets: Target[];
  /** The MySQL/MariaDB server, without a database name. */
  mysqlUrl: string;
  /** Connections of the server's pool, and of the floor's and Duende's pools (the same, for fairness). */
  dbPoolSize: number;
  serverLogLevel: string;
  /** Processes the server serves from (--workers). */
  serverWorkers: number;
  /** How the server serves HTTP/2 calls (--http2-adapter); its default when undefined. */
  serverHttp2Adapter?: "stream" | "compat";
  /** Where the server writes a V8 CPU profile (node --cpu-prof) when it stops; off when undefined. */
  serverCpuProfDir?: string;
  seedConnections: number;
  outDir: string;
  /** The earlier report whose CPU figures this run's are shown next to; the newest in outDir when unset. */
  baseline?: string;
  /** Drop the datasets the run created (always true in quick mode). */
  dropAfter: boolean;
  argv: string[];
}

export type Target = "service" | "floor" | "duende";
export const targets: readonly Target[] = ["service", "floor", "duende"];

const help = `Usage: npm run bench -- [options]

Benchmarks the service against the SQL it issues (the floor) and against
Duende's query strategy, on MariaDB datasets of realistic demo sessions.

  --sizes 100k,1m,10m      dataset sizes (database sm_bench_<size>, seeded if missing)   [100k]
  --concurrency 1,8,32     closed-loop workers per run                                   [1,8,32]
  --duration 10            seconds measured per scenario, concurrency and target         [10]
  --warmup 2               seconds of unmeasured calls before each run                   [2]
  --page-size 25           QuerySessions page size                                       [25]
  --scenarios a,b          only these scenarios (see the report for names)               [all]
  --targets service,floor,duende                                                         [all three]
  --duende-concurrency 1   concurrencies for Duende's strategy, whose statements scan    [the lowest]
                           the filtered rows: more workers only queue behind each other
  --mysql-url URL          server to use                                                 [mysql://root@127.0.0.1:3306/]
  --db-pool-size 10        connections of the server and of each baseline                [10]
  --server-log-level info  the server's LOG_LEVEL (one JSON line per call at info)       [info]
  --server-workers 1       the server's --workers (its CPU counts every worker's)    [1]
  --server-http2-adapter A the server's --http2-adapter: stream or compat          [its default]
  --server-cpu-prof DIR    profile the server's CPU (node --cpu-prof) into DIR          [off]
  --seed-connections 4     connections used to seed a missing dataset                    [4]
  --out DIR                where the JSON report goes                                    [test/bench/results]
  --baseline FILE          earlier report to show server CPU per call next to          [newest in --out]
  --drop-after             drop the datasets this run created                            [off]
  --quick                  2,000 sessions in a throwaway database, 0.3 s runs, concurrency 1,2
`;

/** Parses "100k", "1m", "10m", "2000" into a session count. */
export function parseSize(text: string): DatasetSize {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`--sizes: "${text}" is not a size such as 100k, 1m or 2000`);
  const factor = { "": 1, k: 1_000, m: 1_000_000 }[match[2]!.toLowerCase() as "" | "k" | "m"];
  return { label: text.trim().toLowerCase(), sessions: Math.round(Number(match[1]) * factor) };
}

const list = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

/** Reads the command line; prints help and exits on --help. */
export function readSuiteOptions(argv: string[]): SuiteOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      sizes: { type: "string" },
      concurrency: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      "page-size": { type: "string", default: "25" },
      scenarios: { type: "string", default: "" },
      targets: { type: "string", default: targets.join(",") },
      "duende-concurrency": { type: "string" },
      "mysql-url": { type: "string", default: process.env.BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/" },
      "db-pool-size": { type: "string", default: "10" },
      "server-log-level": { type: "string", default: "info" },
      "server-cpu-prof": { type: "string" },
      "server-workers": { type: "string", default: "1" },
      "server-http2-adapter": { type: "string" },
      "seed-connections": { type: "string", default: "4" },
      out: { type: "string", default: "test/bench/results" },
      baseline: { type: "string" },
      "drop-after": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    process.exit(0);
  }
  const quick = values.quick!;
  const number = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name}: "${text}" must be a number of at least ${min}`);
    return n;
  };
  // The server says which port it took in an info line.
  if (!["trace", "debug", "info"].includes(values["server-log-level"]!)) throw new Error("--server-log-level must be trace, debug or info");
  const adapter = values["server-http2-adapter"];
  if (adapter !== undefined && adapter !== "stream" && adapter !== "compat") throw new Error("--server-http2-adapter must be stream or compat");
  const chosenTargets = list(values.targets!);
  for (const t of chosenTargets) if (!targets.includes(t as Target)) throw new Error(`--targets: unknown target "${t}"`);
  const concurrency = list(values.concurrency ?? (quick ? "1,2" : "1,8,32")).map((c) => number("concurrency", c, 1));
  return {
    quick,
    sizes: list(values.sizes ?? (quick ? "2000" : "100k")).map(parseSize),
    concurrency,
    duendeConcurrency: values["duende-concurrency"] === undefined ? [Math.min(...concurrency)] : list(values["duende-concurrency"]).map((c) => number("duende-concurrency", c, 1)),
    durationMs: number("duration", values.duration ?? (quick ? "0.3" : "10"), 0.1) * 1000,
    warmupMs: number("warmup", values.warmup ?? (quick ? "0.1" : "2"), 0) * 1000,
    pageSize: number("page-size", values["page-size"]!, 1),
    scenarios: list(values.scenarios!),
    targets: chosenTargets as Target[],
    mysqlUrl: values["mysql-url"]!,
    dbPoolSize: number("db-pool-size", values["db-pool-size"]!, 1),
    serverLogLevel: values["server-log-level"]!,
    serverCpuProfDir: values["server-cpu-prof"],
    serverWorkers: number("server-workers", values["server-workers"]!, 1),
    serverHttp2Adapter: adapter,
    seedConnections: number("seed-connections", values["seed-connections"]!, 1),
    outDir: values.out!,
    baseline: values.baseline,
    dropAfter: quick || values["drop-after"]!,
    argv,
  };
}
