import { parseDatabaseUrl } from "../store/typeorm/database-url.js";
import { parseOptions, usageText, type OptionSpec } from "./options.js";

/** Everything the server can be configured with; read once, passed down. */
export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  dbPoolSize: number;
  dbConnectTimeoutMs: number;
  migrate: boolean;
  /** Signs page tokens; generated and kept in the database when not configured. */
  pageTokenSecret?: Buffer;
  maxRequestBytes: number;
  maxTimeoutMs: number;
  compressMinBytes: number;
  shutdownGraceMs: number;
  countExactLimit: number;
  countRefreshMs: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
}

const options: readonly OptionSpec<keyof Config>[] = [
  { flag: "host", env: "HOST", kind: "string", key: "host", defaultValue: "127.0.0.1", description: "address to listen on (loopback by default)" },
  { flag: "port", env: "PORT", kind: "integer", key: "port", defaultValue: "50051", min: 0, max: 65535, description: "port for gRPC, gRPC-Web and Connect over HTTP/2 (h2c)" },
  { flag: "database-url", env: "DATABASE_URL", kind: "string", key: "databaseUrl", defaultValue: "sqlite:./data/sessions.db", description: "sqlite:<path> or mysql://user:password@host:port/database" },
  { flag: "db-pool-size", env: "DB_POOL_SIZE", kind: "integer", key: "dbPoolSize", defaultValue: "10", min: 1, description: "MySQL connections per instance" },
  { flag: "db-connect-timeout-ms", env: "DB_CONNECT_TIMEOUT_MS", kind: "integer", key: "dbConnectTimeoutMs", defaultValue: "5000", min: 100, description: "how long to wait for a MySQL connection" },
  { flag: "migrate", env: "MIGRATE", kind: "boolean", key: "migrate", defaultValue: "true", description: "apply pending schema migrations at start-up; when false, start only if the schema is current (see npm run migrate)" },
  { flag: "page-token-secret", env: "PAGE_TOKEN_SECRET", kind: "secret", key: "pageTokenSecret", description: "secret (32+ characters) that signs page tokens; share it across instances, or leave unset to generate one and keep it in the database" },
  { flag: "max-request-bytes", env: "MAX_REQUEST_BYTES", kind: "integer", key: "maxRequestBytes", defaultValue: String(4 * 1024 * 1024), min: 1024, description: "largest accepted request message" },
  { flag: "max-timeout-ms", env: "MAX_TIMEOUT_MS", kind: "integer", key: "maxTimeoutMs", defaultValue: "300000", min: 1, description: "longest deadline a client may ask for" },
  { flag: "compress-min-bytes", env: "COMPRESS_MIN_BYTES", kind: "integer", key: "compressMinBytes", defaultValue: String(64 * 1024), min: 0, description: "responses at least this large are compressed when the client accepts gzip or br; smaller ones cost more CPU and latency to compress than they save" },
  { flag: "shutdown-grace-ms", env: "SHUTDOWN_GRACE_MS", kind: "integer", key: "shutdownGraceMs", defaultValue: "10000", min: 0, description: "how long in-flight calls may finish after SIGTERM" },
  { flag: "count-exact-limit", env: "COUNT_EXACT_LIMIT", kind: "integer", key: "countExactLimit", defaultValue: "10000", min: 0, description: "QuerySessions totals are exact up to this many matches, estimates above" },
  { flag: "count-refresh-ms", env: "COUNT_REFRESH_MS", kind: "integer", key: "countRefreshMs", defaultValue: "5000", min: 0, description: "how often an estimated total is recomputed" },
  { flag: "log-level", env: "LOG_LEVEL", kind: "string", key: "logLevel", defaultValue: "info", oneOf: ["fatal", "error", "warn", "info", "debug", "trace"], description: "log verbosity" },
];

/** The result of reading the configuration. */
export type ConfigResult = { config: Config } | { help: string } | { error: string };

const header = [
  "Usage: npm start -- [options]",
  "",
  "Serves the SessionManagement API (gRPC, gRPC-Web and Connect) over HTTP/2.",
  "Each option can also be set by the environment variable shown; flags win.",
];

/**
 * Reads the server's configuration from command-line flags, then environment
 * variables, then defaults. This is the only module that reads them for the
 * server.
 */
export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ConfigResult {
  const result = parseOptions<Config>(options, argv, env, header);
  if (!("values" in result)) return result;
  const database = parseDatabaseUrl(result.values.databaseUrl);
  if ("error" in database) return { error: `--database-url (DATABASE_URL): ${database.error}` };
  return { config: result.values };
}

/** The --help text: every flag with its environment variable and default. */
export function usage(): string {
  return usageText(options, header);
}
