import { parseDatabaseUrl } from "../store/typeorm/database-url.js";
import { parseAddressRanges } from "../domain/special-use-address.js";
import { isOrigin } from "./cors.js";
import { workerCount } from "./worker-count.js";
import { parseOptions, usageText, type OptionSpec } from "./options.js";
import { readTracingOptions, type TracingOptions } from "./tracing-options.js";

/** Everything the server can be configured with; read once, passed down. */
export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  dbPoolSize: number;
  dbConnectTimeoutMs: number;
  /** The longest one database statement may run, whatever the call's deadline. */
  maxStatementMs: number;
  migrate: boolean;
  /** Signs page tokens; generated and kept in the database when not configured. */
  pageTokenSecret?: Buffer;
  maxRequestBytes: number;
  /** Largest session ticket SessionStore accepts, in bytes. */
  maxTicketBytes: number;
  /** Largest grant data GrantStore accepts, in bytes. */
  maxGrantDataBytes: number;
  /** Byte budget of one GetSessions or ListGrants page. */
  maxPageBytes: number;
  maxTimeoutMs: number;
  compressMinBytes: number;
  shutdownGraceMs: number;
  /**
   * Stop when the parent process goes away (this process is orphaned). On by
   * default under an npm script, since npm does not always pass signals on.
   */
  stopWithParent?: boolean;
  countExactLimit: number;
  countRefreshMs: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
  /** Accept plain http:// back-channel logout URIs, for any host, from ClientRegistry and the clients file. */
  allowHttpLogoutUris: boolean;
  /** A YAML or JSON file of clients, created or replaced at start-up. */
  clientsFile?: string;
  /** Whether this instance removes expired sessions and stale grants. */
  sweeper: boolean;
  sweeperIntervalMs: number;
  sweeperBatchSize: number;
  sweeperRevokeTokens: boolean;
  sweeperNotify: boolean;
  grantRetentionMs: number;
  /** How long delivered logout notifications are kept before the sweeper removes them. */
  notificationRetentionMs: number;
  /** Whether this instance runs bulk termination jobs (any number of instances may). */
  terminationJobs: boolean;
  terminationBatchSize: number;
  terminationDefaultRate: number;
  terminationMaxRate: number;
  terminationLeaseMs: number;
  terminationPollMs: number;
  /** PreviewTermination is exact up to this many matching sessions, an estimate above. */
  previewExactLimit: number;
  /** Port of the HTTP/1.1 listener (JWKS, logout metadata) on the same host. */
  httpPort: number;
  /** `iss` of logout tokens for sessions recorded without an issuer; named in the back-channel logout metadata. */
  issuer?: string;
  /** Comma-separated PEM or JWK files holding the logout token signing keys; unset: a key generated and kept in the database. */
  signingKeyFiles?: string;
  /** `kid` of the key that signs; by default the first private key. */
  signingKeyId?: string;
  logoutTokenAlg: "RS256" | "ES256" | "PS256";
  /** Whether this instance delivers the outbox. */
  notifier: boolean;
  notifierPollMs: number;
  notifierConcurrency: number;
  notifierPerDestination: number;
  notifierTimeoutMs: number;
  notifierMaxAttempts: number;
  notifierRetryBaseMs: number;
  notifierRetryMaxMs: number;
  /** Comma-separated addresses and CIDR ranges notifications may go to despite being special-use. */
  notifierAllowAddresses?: string;
  /** YAML or JSON file of API keys: id, SHA-256 of the key, permissions. */
  apiKeysFile?: string;
  /** Accept JWT access tokens from this issuer (with jwtAudience and jwtJwksUrl). */
  jwtIssuer?: string;
  jwtAudience?: string;
  jwtJwksUrl?: string;
  /** Comma-separated JWS algorithms accepted on access tokens. */
  jwtAlgorithms: string;
  jwtClockSkewSeconds: number;
  /** YAML or JSON file mapping client certificate subjects to permissions (needs tlsClientCaFile). */
  clientCertificatesFile?: string;
  /** Comma-separated addresses and CIDR ranges of sidecars whose x-forwarded-client-cert header names the caller. */
  trustedProxies?: string;
  /** PEM certificate chain and key: the main port then serves TLS (HTTP/2 and HTTP/1.1 by ALPN). */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** PEM CA bundle that client certificates are verified against (mutual TLS). */
  tlsClientCaFile?: string;
  /** Concurrent calls (HTTP/2 streams) one connection may have open. */
  maxConcurrentStreams: number;
  /** How HTTP/2 RPCs are read and answered: straight from the streams, or through Node's compatibility request and response. */
  http2Adapter: "stream" | "compat";
  /** How often the database is checked for the health service and /readyz. */
  healthCheckIntervalMs: number;
  /** Comma-separated origins whose web pages may call the service from a browser (CORS); "*" for any. */
  corsAllowedOrigins?: string;
  /** Whether OpenTelemetry tracing was asked for (--tracing). */
  tracingEnabled?: boolean;
  /** Tracing as the OTEL_* variables configure it; set only when tracing is on. */
  tracing?: TracingOptions;
  /** Processes serving the ports (node:cluster); 1 serves from this process alone. */
  workers: number;
}

const options: readonly OptionSpec<keyof Config>[] = [
  { flag: "host", env: "HOST", kind: "string", key: "host", defaultValue: "127.0.0.1", description: "address to listen on (loopback by default)" },
  { flag: "port", env: "PORT", kind: "integer", key: "port", defaultValue: "50051", min: 0, max: 65535, description: "port for gRPC, gRPC-Web and Connect over HTTP/2 (h2c)" },
  { flag: "database-url", env: "DATABASE_URL", kind: "string", key: "databaseUrl", defaultValue: "sqlite:./data/sessions.db", description: "sqlite:<path> or mysql://user:password@host:port/database" },
  { flag: "db-pool-size", env: "DB_POOL_SIZE", kind: "integer", key: "dbPoolSize", defaultValue: "10", min: 1, description: "MySQL connections per instance" },
  { flag: "db-connect-timeout-ms", env: "DB_CONNECT_TIMEOUT_MS", kind: "integer", key: "dbConnectTimeoutMs", defaultValue: "5000", min: 100, description: "how long to wait for a MySQL connection" },
  { flag: "max-statement-ms", env: "MAX_STATEMENT_MS", kind: "integer", key: "maxStatementMs", defaultValue: "30000", min: 100, description: "longest a database statement may run; each also stops when its call's deadline passes (MariaDB and MySQL SELECTs are interrupted in the server)" },
  { flag: "migrate", env: "MIGRATE", kind: "boolean", key: "migrate", defaultValue: "true", description: "apply pending schema migrations at start-up; when false, start only if the schema is current (see npm run migrate)" },
  { flag: "page-token-secret", env: "PAGE_TOKEN_SECRET", kind: "secret", key: "pageTokenSecret", description: "secret (32+ characters) that signs page tokens; share it across instances, or leave unset to generate one and keep it in the database" },
  { flag: "max-request-bytes", env: "MAX_REQUEST_BYTES", kind: "integer", key: "maxRequestBytes", defaultValue: String(4 * 1024 * 1024), min: 1024, description: "largest accepted request message" },
  { flag: "max-ticket-bytes", env: "MAX_TICKET_BYTES", kind: "integer", key: "maxTicketBytes", defaultValue: String(64 * 1024), min: 1, description: "largest session ticket accepted (CreateSession, UpdateSession); larger ones get INVALID_ARGUMENT" },
  { flag: "max-grant-data-bytes", env: "MAX_GRANT_DATA_BYTES", kind: "integer", key: "maxGrantDataBytes", defaultValue: String(64 * 1024), min: 1, description: "largest grant data accepted (StoreGrant); larger data gets INVALID_ARGUMENT" },
  { flag: "max-page-bytes", env: "MAX_PAGE_BYTES", kind: "integer", key: "maxPageBytes", defaultValue: String(1024 * 1024), min: 64 * 1024, description: "what one GetSessions or ListGrants page may hold: pages of large tickets or grant data end early (with has_next_results) rather than exceed it; keep it below what clients accept (4 MiB by default)" },
  { flag: "max-timeout-ms", env: "MAX_TIMEOUT_MS", kind: "integer", key: "maxTimeoutMs", defaultValue: "300000", min: 1, description: "longest deadline a client may ask for" },
  { flag: "compress-min-bytes", env: "COMPRESS_MIN_BYTES", kind: "integer", key: "compressMinBytes", defaultValue: String(64 * 1024), min: 0, description: "responses at least this large are compressed when the client accepts gzip or br; smaller ones cost more CPU and latency to compress than they save" },
  { flag: "shutdown-grace-ms", env: "SHUTDOWN_GRACE_MS", kind: "integer", key: "shutdownGraceMs", defaultValue: "10000", min: 0, description: "how long in-flight calls and logout notifications may finish after SIGTERM or SIGINT; the process exits at most a few seconds later" },
  { flag: "stop-with-parent", env: "STOP_WITH_PARENT", kind: "boolean", key: "stopWithParent", description: "stop when the parent process exits, as if sent SIGTERM (default: true under npm start, whose npm may die without passing the signal on; otherwise false, so daemonizing tools work)" },
  { flag: "count-exact-limit", env: "COUNT_EXACT_LIMIT", kind: "integer", key: "countExactLimit", defaultValue: "10000", min: 0, description: "QuerySessions totals are exact up to this many matches, estimates above" },
  { flag: "count-refresh-ms", env: "COUNT_REFRESH_MS", kind: "integer", key: "countRefreshMs", defaultValue: "5000", min: 0, description: "how often an estimated total is recomputed" },
  { flag: "log-level", env: "LOG_LEVEL", kind: "string", key: "logLevel", defaultValue: "info", oneOf: ["fatal", "error", "warn", "info", "debug", "trace"], description: "log verbosity" },
  { flag: "http-port", env: "HTTP_PORT", kind: "integer", key: "httpPort", defaultValue: "50052", min: 0, max: 65535, description: "port for cleartext HTTP/1.1 on the same host when TLS is off: Connect and gRPC-Web calls, /.well-known/jwks.json and backchannel-logout-metadata, /healthz, /readyz, /metrics" },
  { flag: "issuer", env: "ISSUER", kind: "string", key: "issuer", description: "issuer (iss) of logout tokens for sessions recorded without one, exactly as relying parties expect it; named in /.well-known/backchannel-logout-metadata" },
  { flag: "signing-key-files", env: "SIGNING_KEY_FILES", kind: "string", key: "signingKeyFiles", description: "comma-separated PEM or JWK files with the logout token signing keys, all published (for rotation); unset: a key generated on first start and kept in the database" },
  { flag: "signing-key-id", env: "SIGNING_KEY_ID", kind: "string", key: "signingKeyId", description: "kid of the key that signs logout tokens (default: the first private key in the files)" },
  { flag: "logout-token-alg", env: "LOGOUT_TOKEN_ALG", kind: "string", key: "logoutTokenAlg", defaultValue: "RS256", oneOf: ["RS256", "ES256", "PS256"], description: "signing algorithm of generated keys and of RSA key files that name none" },
  { flag: "notifier", env: "NOTIFIER", kind: "boolean", key: "notifier", defaultValue: "true", description: "deliver queued back-channel logout notifications from this instance" },
  { flag: "notifier-poll-ms", env: "NOTIFIER_POLL_MS", kind: "integer", key: "notifierPollMs", defaultValue: "5000", min: 10, description: "how often the outbox is checked when nothing wakes the notifier (other instances' removals, missed wake-ups)" },
  { flag: "notifier-concurrency", env: "NOTIFIER_CONCURRENCY", kind: "integer", key: "notifierConcurrency", defaultValue: "64", min: 1, description: "notifications in flight at once per instance" },
  { flag: "notifier-per-destination", env: "NOTIFIER_PER_DESTINATION", kind: "integer", key: "notifierPerDestination", defaultValue: "8", min: 1, description: "notifications in flight at once to one scheme, host and port per instance" },
  { flag: "notifier-timeout-ms", env: "NOTIFIER_TIMEOUT_MS", kind: "integer", key: "notifierTimeoutMs", defaultValue: "5000", min: 100, description: "time a relying party has to answer one notification" },
  { flag: "notifier-max-attempts", env: "NOTIFIER_MAX_ATTEMPTS", kind: "integer", key: "notifierMaxAttempts", defaultValue: "25", min: 1, description: "attempts before a notification is dead" },
  { flag: "notifier-retry-base-ms", env: "NOTIFIER_RETRY_BASE_MS", kind: "integer", key: "notifierRetryBaseMs", defaultValue: "1000", min: 1, description: "upper bound of the first retry delay, doubling per attempt (full jitter)" },
  { flag: "notifier-retry-max-ms", env: "NOTIFIER_RETRY_MAX_MS", kind: "integer", key: "notifierRetryMaxMs", defaultValue: String(4 * 3600 * 1000), min: 1, description: "largest retry delay bound (also caps Retry-After); with the defaults the attempts span about a day" },
  { flag: "notifier-allow-addresses", env: "NOTIFIER_ALLOW_ADDRESSES", kind: "string", key: "notifierAllowAddresses", description: "comma-separated addresses and CIDR ranges notifications may be sent to although special-use (loopback, link-local, metadata, ...), e.g. 127.0.0.1/32" },
  { flag: "allow-http-logout-uris", env: "ALLOW_HTTP_LOGOUT_URIS", kind: "boolean", key: "allowHttpLogoutUris", defaultValue: "false", description: "accept plain http:// back-channel logout URIs for any host (a mesh that adds mTLS, a compose network, tests); otherwise https only" },
  { flag: "clients", env: "CLIENTS_FILE", kind: "string", key: "clientsFile", description: "YAML or JSON file of relying-party clients, created or replaced at start-up (clients not in it are left alone); a bad file stops the start" },
  { flag: "sweeper", env: "SWEEPER", kind: "boolean", key: "sweeper", defaultValue: "true", description: "remove expired sessions and stale grants from this instance (any number of instances may)" },
  { flag: "sweeper-interval-ms", env: "SWEEPER_INTERVAL_MS", kind: "integer", key: "sweeperIntervalMs", defaultValue: "60000", min: 100, description: "time between the end of one sweep and the start of the next" },
  { flag: "sweeper-batch-size", env: "SWEEPER_BATCH_SIZE", kind: "integer", key: "sweeperBatchSize", defaultValue: "500", min: 1, max: 10000, description: "sessions or grants removed per transaction" },
  { flag: "sweeper-revoke-tokens", env: "SWEEPER_REVOKE_TOKENS", kind: "boolean", key: "sweeperRevokeTokens", defaultValue: "true", description: "revoke the tokens bound to each expired session" },
  { flag: "sweeper-notify", env: "SWEEPER_NOTIFY", kind: "boolean", key: "sweeperNotify", defaultValue: "true", description: "queue back-channel logout notifications (reason: expired) to each expired session's clients" },
  { flag: "grant-retention-ms", env: "GRANT_RETENTION_MS", kind: "integer", key: "grantRetentionMs", defaultValue: "86400000", min: 0, description: "how long expired and consumed grants are kept before the sweeper removes them" },
  { flag: "notification-retention-ms", env: "NOTIFICATION_RETENTION_MS", kind: "integer", key: "notificationRetentionMs", defaultValue: String(7 * 86_400_000), min: 0, description: "how long delivered logout notifications are kept (for ListNotifications) before the sweeper removes them; failed and dead ones stay" },
  { flag: "termination-jobs", env: "TERMINATION_JOBS", kind: "boolean", key: "terminationJobs", defaultValue: "true", description: "run bulk termination jobs from this instance (any number of instances may; each job runs on one at a time, under a lease)" },
  { flag: "termination-batch-size", env: "TERMINATION_BATCH_SIZE", kind: "integer", key: "terminationBatchSize", defaultValue: "500", min: 1, max: 10000, description: "sessions a termination job terminates per transaction" },
  { flag: "termination-default-rate", env: "TERMINATION_DEFAULT_RATE", kind: "integer", key: "terminationDefaultRate", defaultValue: "2000", min: 1, description: "sessions per second of a termination job started without sessions_per_second" },
  { flag: "termination-max-rate", env: "TERMINATION_MAX_RATE", kind: "integer", key: "terminationMaxRate", defaultValue: "20000", min: 1, description: "highest sessions per second a termination job may ask for; higher rates are served at it" },
  { flag: "termination-lease-ms", env: "TERMINATION_LEASE_MS", kind: "integer", key: "terminationLeaseMs", defaultValue: "15000", min: 100, description: "how long an instance holds a termination job without committing a batch; after a crash another instance carries the job on once it expires" },
  { flag: "termination-poll-ms", env: "TERMINATION_POLL_MS", kind: "integer", key: "terminationPollMs", defaultValue: "1000", min: 10, description: "how often an idle instance looks for termination jobs to run (and WatchTerminationJob for progress)" },
  { flag: "preview-exact-limit", env: "PREVIEW_EXACT_LIMIT", kind: "integer", key: "previewExactLimit", defaultValue: "10000", min: 0, max: 100000, description: "PreviewTermination reads every matching session up to this many, and samples above it (figures flagged as estimates)" },
  { flag: "api-keys-file", env: "API_KEYS_FILE", kind: "string", key: "apiKeysFile", description: "YAML or JSON file of API keys (id, sha256 of the key, permissions) accepted as 'authorization: Bearer <key>'" },
  { flag: "jwt-issuer", env: "JWT_ISSUER", kind: "string", key: "jwtIssuer", description: "accept JWT access tokens from this issuer (iss), permissions from their scope claim; needs --jwt-audience and --jwt-jwks-url" },
  { flag: "jwt-audience", env: "JWT_AUDIENCE", kind: "string", key: "jwtAudience", description: "audience (aud) access tokens must name" },
  { flag: "jwt-jwks-url", env: "JWT_JWKS_URL", kind: "string", key: "jwtJwksUrl", description: "URL of the issuer's JWK Set (fetched and cached)" },
  { flag: "jwt-algorithms", env: "JWT_ALGORITHMS", kind: "string", key: "jwtAlgorithms", defaultValue: "RS256,PS256,ES256,EdDSA", description: "comma-separated signature algorithms accepted on access tokens" },
  { flag: "jwt-clock-skew-seconds", env: "JWT_CLOCK_SKEW_SECONDS", kind: "integer", key: "jwtClockSkewSeconds", defaultValue: "30", min: 0, max: 600, description: "tolerance for exp, nbf and iat of access tokens" },
  { flag: "client-certificates-file", env: "CLIENT_CERTIFICATES_FILE", kind: "string", key: "clientCertificatesFile", description: "YAML or JSON file mapping client certificate subjects or SPIFFE IDs to permissions (mutual TLS; needs --tls-client-ca-file, or --trusted-proxies behind a sidecar)" },
  { flag: "trusted-proxies", env: "TRUSTED_PROXIES", kind: "string", key: "trustedProxies", description: "comma-separated addresses and CIDR ranges (127.0.0.1, 10.0.0.0/8) of sidecars that terminate mutual TLS: from them, and only them, the x-forwarded-client-cert header's SPIFFE ID identifies the caller through --client-certificates-file's spiffe rules; unset: the header is always ignored" },
  { flag: "tls-cert-file", env: "TLS_CERT_FILE", kind: "string", key: "tlsCertFile", description: "PEM certificate chain; with --tls-key-file the port serves TLS, HTTP/2 and HTTP/1.1 by ALPN, and no cleartext HTTP/1.1 port is opened" },
  { flag: "tls-key-file", env: "TLS_KEY_FILE", kind: "string", key: "tlsKeyFile", description: "PEM private key of the certificate" },
  { flag: "tls-client-ca-file", env: "TLS_CLIENT_CA_FILE", kind: "string", key: "tlsClientCaFile", description: "PEM CA bundle client certificates are verified against (clients without one may still use keys or tokens)" },
  { flag: "max-concurrent-streams", env: "MAX_CONCURRENT_STREAMS", kind: "integer", key: "maxConcurrentStreams", defaultValue: "100", min: 1, max: 10000, description: "concurrent calls one HTTP/2 connection may have open" },
  { flag: "http2-adapter", env: "HTTP2_ADAPTER", kind: "string", key: "http2Adapter", defaultValue: "stream", oneOf: ["stream", "compat"], description: "how HTTP/2 calls are served: stream answers RPCs straight from HTTP/2 streams (less CPU per call); compat goes through Node's HTTP/2 compatibility request and response, as browsers' requests and every HTTP/1.1 request always do" },
  { flag: "health-check-interval-ms", env: "HEALTH_CHECK_INTERVAL_MS", kind: "integer", key: "healthCheckIntervalMs", defaultValue: "5000", min: 100, description: "how often the database is checked for grpc.health.v1 and /readyz" },
  { flag: "tracing", env: "TRACING", kind: "boolean", key: "tracingEnabled", defaultValue: "false", description: "OpenTelemetry traces of calls, their database statements and logout deliveries, exported as the standard OTEL_* variables say (OTLP over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4318); OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off again" },
  { flag: "workers", env: "WORKERS", kind: "string", key: "workers", defaultValue: "1", description: "processes serving the same ports, one per core: a number, or auto for every available core; more than one needs MySQL or MariaDB (see docs/operations.md)" },
  { flag: "cors-allowed-origins", env: "CORS_ALLOWED_ORIGINS", kind: "string", key: "corsAllowedOrigins", description: "comma-separated origins (https://admin.example.com) whose web pages may call the service from a browser with Connect or gRPC-Web; * for any; unset: none" },
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
  const notifierError = checkNotifierOptions(result.values);
  if (notifierError !== undefined) return { error: notifierError };
  const securityError = checkSecurityOptions(result.values);
  if (securityError !== undefined) return { error: securityError };
  const tracing = result.values.tracingEnabled === true ? readTracingOptions(env) : undefined;
  if (tracing !== undefined && "error" in tracing) return { error: `--tracing (TRACING): ${tracing.error}` };
  const workers = workerCount(String(result.values.workers), database.location.kind);
  if (typeof workers === "string") return { error: `--workers (WORKERS): ${workers}` };
  // npm marks the processes its scripts run.
  const stopWithParent = result.values.stopWithParent ?? env.npm_lifecycle_event !== undefined;
  return { config: { ...result.values, stopWithParent, workers, ...(tracing === undefined ? {} : { tracing }) } };
}

/** The items of a comma-separated option, trimmed, empty ones left out. */
export function listOption(value: string | undefined): string[] {
  return (value ?? "").split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** The --help text: every flag with its environment variable and default. */
export function usage(): string {
  return usageText(options, header);
}

// Values the option table cannot check by itself.
function checkNotifierOptions(config: Config): string | undefined {
  if (config.issuer !== undefined && issuerProblem(config.issuer) !== undefined) return `--issuer (ISSUER): ${issuerProblem(config.issuer)}`;
  if (config.notifierAllowAddresses !== undefined) {
    const ranges = parseAddressRanges(config.notifierAllowAddresses);
    if ("error" in ranges) return `--notifier-allow-addresses (NOTIFIER_ALLOW_ADDRESSES): ${ranges.error}`;
  }
  return undefined;
}

// Options that only make sense together.
function checkSecurityOptions(config: Config): string | undefined {
  if (config.jwtIssuer !== undefined && (config.jwtAudience === undefined || config.jwtJwksUrl === undefined)) {
    return "--jwt-issuer (JWT_ISSUER): needs --jwt-audience and --jwt-jwks-url";
  }
  if (config.jwtIssuer === undefined && (config.jwtAudience !== undefined || config.jwtJwksUrl !== undefined)) {
    return "--jwt-audience and --jwt-jwks-url need --jwt-issuer (JWT_ISSUER)";
  }
  if (config.jwtJwksUrl !== undefined && !/^https?:\/\//.test(config.jwtJwksUrl)) return "--jwt-jwks-url (JWT_JWKS_URL): must be an http(s) URL";
  if (config.jwtAlgorithms.split(",").every((a) => a.trim() === "")) return "--jwt-algorithms (JWT_ALGORITHMS): must name at least one algorithm";
  const badOrigin = listOption(config.corsAllowedOrigins).find((origin) => !isOrigin(origin));
  if (badOrigin !== undefined) return `--cors-allowed-origins (CORS_ALLOWED_ORIGINS): "${badOrigin}" is not an origin such as https://admin.example.com`;
  if (config.trustedProxies !== undefined) {
    const ranges = parseAddressRanges(config.trustedProxies);
    if ("error" in ranges) return `--trusted-proxies (TRUSTED_PROXIES): ${ranges.error}`;
    if (config.clientCertificatesFile === undefined) return "--trusted-proxies (TRUSTED_PROXIES): needs --client-certificates-file to map the forwarded SPIFFE IDs to permissions";
  }
  if ((config.tlsCertFile === undefined) !== (config.tlsKeyFile === undefined)) return "--tls-cert-file and --tls-key-file (TLS_CERT_FILE, TLS_KEY_FILE): set both or neither";
  if (config.tlsClientCaFile !== undefined && config.tlsCertFile === undefined) return "--tls-client-ca-file (TLS_CLIENT_CA_FILE): needs --tls-cert-file and --tls-key-file";
  if (config.clientCertificatesFile !== undefined && config.tlsClientCaFile === undefined && config.trustedProxies === undefined) {
    return "--client-certificates-file (CLIENT_CERTIFICATES_FILE): needs --tls-client-ca-file to verify the certificates against, or --trusted-proxies whose sidecars verify them";
  }
  return undefined;
}

// Relying parties compare it with the issuer they know, and the keys are also
// served under its path, so it must be a plain http(s) URL.
function issuerProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https URL";
  if (url.search !== "" || url.hash !== "" || issuer.includes("?") || issuer.includes("#")) return "must have no query or fragment";
  return undefined;
}
