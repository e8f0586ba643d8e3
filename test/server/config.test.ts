import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readConfig, usage, type Config, type ConfigResult } from "../../src/server/config.js";

const secret = "s".repeat(32);

function configOf(result: ConfigResult): Config {
  assert.ok("config" in result, `expected a configuration, got ${JSON.stringify(result)}`);
  return result.config;
}

function errorOf(result: ConfigResult): string {
  assert.ok("error" in result, `expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

/** Every option: flag, environment variable, a valid value and what it becomes. */
const options = [
  { flag: "host", env: "HOST", key: "host", raw: "0.0.0.0", value: "0.0.0.0" },
  { flag: "port", env: "PORT", key: "port", raw: "8080", value: 8080 },
  { flag: "database-url", env: "DATABASE_URL", key: "databaseUrl", raw: "mysql://root@db:3306/sessions", value: "mysql://root@db:3306/sessions" },
  { flag: "db-pool-size", env: "DB_POOL_SIZE", key: "dbPoolSize", raw: "20", value: 20 },
  { flag: "db-connect-timeout-ms", env: "DB_CONNECT_TIMEOUT_MS", key: "dbConnectTimeoutMs", raw: "2500", value: 2500 },
  { flag: "max-statement-ms", env: "MAX_STATEMENT_MS", key: "maxStatementMs", raw: "5000", value: 5000 },
  { flag: "migrate", env: "MIGRATE", key: "migrate", raw: "false", value: false },
  { flag: "page-token-secret", env: "PAGE_TOKEN_SECRET", key: "pageTokenSecret", raw: secret, value: Buffer.from(secret) },
  { flag: "max-request-bytes", env: "MAX_REQUEST_BYTES", key: "maxRequestBytes", raw: "65536", value: 65536 },
  { flag: "max-ticket-bytes", env: "MAX_TICKET_BYTES", key: "maxTicketBytes", raw: "8192", value: 8192 },
  { flag: "max-grant-data-bytes", env: "MAX_GRANT_DATA_BYTES", key: "maxGrantDataBytes", raw: "16384", value: 16384 },
  { flag: "max-page-bytes", env: "MAX_PAGE_BYTES", key: "maxPageBytes", raw: "2097152", value: 2097152 },
  { flag: "max-timeout-ms", env: "MAX_TIMEOUT_MS", key: "maxTimeoutMs", raw: "60000", value: 60000 },
  { flag: "compress-min-bytes", env: "COMPRESS_MIN_BYTES", key: "compressMinBytes", raw: "1024", value: 1024 },
  { flag: "shutdown-grace-ms", env: "SHUTDOWN_GRACE_MS", key: "shutdownGraceMs", raw: "0", value: 0 },
  { flag: "stop-with-parent", env: "STOP_WITH_PARENT", key: "stopWithParent", raw: "true", value: true },
  { flag: "count-exact-limit", env: "COUNT_EXACT_LIMIT", key: "countExactLimit", raw: "500", value: 500 },
  { flag: "count-refresh-ms", env: "COUNT_REFRESH_MS", key: "countRefreshMs", raw: "1000", value: 1000 },
  { flag: "log-level", env: "LOG_LEVEL", key: "logLevel", raw: "debug", value: "debug" },
  { flag: "http-port", env: "HTTP_PORT", key: "httpPort", raw: "8081", value: 8081 },
  { flag: "issuer", env: "ISSUER", key: "issuer", raw: "https://idp.example.com/tenant", value: "https://idp.example.com/tenant" },
  { flag: "signing-key-files", env: "SIGNING_KEY_FILES", key: "signingKeyFiles", raw: "keys/next.pem,keys/current.json", value: "keys/next.pem,keys/current.json" },
  { flag: "signing-key-id", env: "SIGNING_KEY_ID", key: "signingKeyId", raw: "key-2", value: "key-2" },
  { flag: "logout-token-alg", env: "LOGOUT_TOKEN_ALG", key: "logoutTokenAlg", raw: "es256", value: "ES256" },
  { flag: "notifier", env: "NOTIFIER", key: "notifier", raw: "false", value: false },
  { flag: "notifier-poll-ms", env: "NOTIFIER_POLL_MS", key: "notifierPollMs", raw: "250", value: 250 },
  { flag: "notifier-concurrency", env: "NOTIFIER_CONCURRENCY", key: "notifierConcurrency", raw: "16", value: 16 },
  { flag: "notifier-per-destination", env: "NOTIFIER_PER_DESTINATION", key: "notifierPerDestination", raw: "2", value: 2 },
  { flag: "notifier-timeout-ms", env: "NOTIFIER_TIMEOUT_MS", key: "notifierTimeoutMs", raw: "2000", value: 2000 },
  { flag: "notifier-max-attempts", env: "NOTIFIER_MAX_ATTEMPTS", key: "notifierMaxAttempts", raw: "5", value: 5 },
  { flag: "notifier-retry-base-ms", env: "NOTIFIER_RETRY_BASE_MS", key: "notifierRetryBaseMs", raw: "100", value: 100 },
  { flag: "notifier-retry-max-ms", env: "NOTIFIER_RETRY_MAX_MS", key: "notifierRetryMaxMs", raw: "60000", value: 60000 },
  { flag: "notifier-allow-addresses", env: "NOTIFIER_ALLOW_ADDRESSES", key: "notifierAllowAddresses", raw: "127.0.0.1/32, ::1", value: "127.0.0.1/32, ::1" },
  { flag: "allow-http-logout-uris", env: "ALLOW_HTTP_LOGOUT_URIS", key: "allowHttpLogoutUris", raw: "true", value: true },
  { flag: "clients", env: "CLIENTS_FILE", key: "clientsFile", raw: "deploy/clients.yaml", value: "deploy/clients.yaml" },
  { flag: "sweeper", env: "SWEEPER", key: "sweeper", raw: "false", value: false },
  { flag: "sweeper-interval-ms", env: "SWEEPER_INTERVAL_MS", key: "sweeperIntervalMs", raw: "30000", value: 30000 },
  { flag: "sweeper-batch-size", env: "SWEEPER_BATCH_SIZE", key: "sweeperBatchSize", raw: "200", value: 200 },
  { flag: "sweeper-revoke-tokens", env: "SWEEPER_REVOKE_TOKENS", key: "sweeperRevokeTokens", raw: "false", value: false },
  { flag: "sweeper-notify", env: "SWEEPER_NOTIFY", key: "sweeperNotify", raw: "false", value: false },
  { flag: "grant-retention-ms", env: "GRANT_RETENTION_MS", key: "grantRetentionMs", raw: "0", value: 0 },
  { flag: "notification-retention-ms", env: "NOTIFICATION_RETENTION_MS", key: "notificationRetentionMs", raw: "3600000", value: 3600000 },
  { flag: "termination-jobs", env: "TERMINATION_JOBS", key: "terminationJobs", raw: "false", value: false },
  { flag: "termination-batch-size", env: "TERMINATION_BATCH_SIZE", key: "terminationBatchSize", raw: "200", value: 200 },
  { flag: "termination-default-rate", env: "TERMINATION_DEFAULT_RATE", key: "terminationDefaultRate", raw: "100", value: 100 },
  { flag: "termination-max-rate", env: "TERMINATION_MAX_RATE", key: "terminationMaxRate", raw: "5000", value: 5000 },
  { flag: "termination-lease-ms", env: "TERMINATION_LEASE_MS", key: "terminationLeaseMs", raw: "60000", value: 60000 },
  { flag: "termination-poll-ms", env: "TERMINATION_POLL_MS", key: "terminationPollMs", raw: "250", value: 250 },
  { flag: "preview-exact-limit", env: "PREVIEW_EXACT_LIMIT", key: "previewExactLimit", raw: "500", value: 500 },
  { flag: "api-keys-file", env: "API_KEYS_FILE", key: "apiKeysFile", raw: "deploy/api-keys.yaml", value: "deploy/api-keys.yaml" },
  { flag: "jwt-issuer", env: "JWT_ISSUER", key: "jwtIssuer", raw: "https://login.example.com", value: "https://login.example.com", needs: { JWT_AUDIENCE: "sessions", JWT_JWKS_URL: "https://login.example.com/jwks" } },
  { flag: "jwt-audience", env: "JWT_AUDIENCE", key: "jwtAudience", raw: "sessions-api", value: "sessions-api", needs: { JWT_ISSUER: "https://login.example.com", JWT_JWKS_URL: "https://login.example.com/jwks" } },
  { flag: "jwt-jwks-url", env: "JWT_JWKS_URL", key: "jwtJwksUrl", raw: "https://login.example.com/keys", value: "https://login.example.com/keys", needs: { JWT_ISSUER: "https://login.example.com", JWT_AUDIENCE: "sessions" } },
  { flag: "jwt-algorithms", env: "JWT_ALGORITHMS", key: "jwtAlgorithms", raw: "ES256", value: "ES256" },
  { flag: "jwt-clock-skew-seconds", env: "JWT_CLOCK_SKEW_SECONDS", key: "jwtClockSkewSeconds", raw: "5", value: 5 },
  { flag: "client-certificates-file", env: "CLIENT_CERTIFICATES_FILE", key: "clientCertificatesFile", raw: "deploy/certs.yaml", value: "deploy/certs.yaml", needs: { TLS_CERT_FILE: "c.pem", TLS_KEY_FILE: "k.pem", TLS_CLIENT_CA_FILE: "ca.pem" } },
  { flag: "trusted-proxies", env: "TRUSTED_PROXIES", key: "trustedProxies", raw: "127.0.0.1, 10.0.0.0/8", value: "127.0.0.1, 10.0.0.0/8", needs: { CLIENT_CERTIFICATES_FILE: "certs.yaml" } },
  { flag: "tls-cert-file", env: "TLS_CERT_FILE", key: "tlsCertFile", raw: "tls/cert.pem", value: "tls/cert.pem", needs: { TLS_KEY_FILE: "k.pem" } },
  { flag: "tls-key-file", env: "TLS_KEY_FILE", key: "tlsKeyFile", raw: "tls/key.pem", value: "tls/key.pem", needs: { TLS_CERT_FILE: "c.pem" } },
  { flag: "tls-client-ca-file", env: "TLS_CLIENT_CA_FILE", key: "tlsClientCaFile", raw: "tls/ca.pem", value: "tls/ca.pem", needs: { TLS_CERT_FILE: "c.pem", TLS_KEY_FILE: "k.pem" } },
  { flag: "max-concurrent-streams", env: "MAX_CONCURRENT_STREAMS", key: "maxConcurrentStreams", raw: "20", value: 20 },
  { flag: "http2-adapter", env: "HTTP2_ADAPTER", key: "http2Adapter", raw: "compat", value: "compat" },
  { flag: "health-check-interval-ms", env: "HEALTH_CHECK_INTERVAL_MS", key: "healthCheckIntervalMs", raw: "1000", value: 1000 },
  { flag: "tracing", env: "TRACING", key: "tracingEnabled", raw: "true", value: true },
  { flag: "workers", env: "WORKERS", key: "workers", raw: "2", value: 2, needs: { DATABASE_URL: "mysql://root@127.0.0.1:3306/sessions" } },
  { flag: "cors-allowed-origins", env: "CORS_ALLOWED_ORIGINS", key: "corsAllowedOrigins", raw: "https://admin.example.com,http://localhost:5173", value: "https://admin.example.com,http://localhost:5173" },
] as const;

/** The environment an option needs alongside it to be accepted (options that only work together). */
const needsOf = (option: (typeof options)[number]): Record<string, string> => ("needs" in option ? option.needs : {});

describe("readConfig()", () => {
  it("should serve on loopback port 50051 with a local SQLite database by default", () => {
    assert.deepEqual(configOf(readConfig([], {})), {
      host: "127.0.0.1",
      port: 50051,
      databaseUrl: "sqlite:./data/sessions.db",
      dbPoolSize: 10,
      dbConnectTimeoutMs: 5000,
      maxStatementMs: 30_000,
      migrate: true,
      maxRequestBytes: 4 * 1024 * 1024,
      maxTicketBytes: 64 * 1024,
      maxGrantDataBytes: 64 * 1024,
      maxPageBytes: 1024 * 1024,
      maxTimeoutMs: 300_000,
      compressMinBytes: 64 * 1024,
      shutdownGraceMs: 10_000,
      stopWithParent: false,
      countExactLimit: 10_000,
      countRefreshMs: 5000,
      logLevel: "info",
      httpPort: 50052,
      logoutTokenAlg: "RS256",
      notifier: true,
      notifierPollMs: 5000,
      notifierConcurrency: 64,
      notifierPerDestination: 8,
      notifierTimeoutMs: 5000,
      notifierMaxAttempts: 25,
      notifierRetryBaseMs: 1000,
      notifierRetryMaxMs: 4 * 3600 * 1000,
      allowHttpLogoutUris: false,
      sweeper: true,
      sweeperIntervalMs: 60_000,
      sweeperBatchSize: 500,
      sweeperRevokeTokens: true,
      sweeperNotify: true,
      grantRetentionMs: 86_400_000,
      notificationRetentionMs: 7 * 86_400_000,
      terminationJobs: true,
      terminationBatchSize: 500,
      terminationDefaultRate: 2000,
      terminationMaxRate: 20_000,
      terminationLeaseMs: 15_000,
      terminationPollMs: 1000,
      previewExactLimit: 10_000,
      jwtAlgorithms: "RS256,PS256,ES256,EdDSA",
      jwtClockSkewSeconds: 30,
      tracingEnabled: false,
      maxConcurrentStreams: 100,
      http2Adapter: "stream",
      healthCheckIntervalMs: 5000,
      workers: 1,
    });
  });

  it("should stop with its parent by default only when an npm script runs it (npm start)", () => {
    assert.equal(configOf(readConfig([], { npm_lifecycle_event: "start" })).stopWithParent, true);
    assert.equal(configOf(readConfig([], {})).stopWithParent, false);
    assert.equal(configOf(readConfig(["--stop-with-parent", "false"], { npm_lifecycle_event: "start" })).stopWithParent, false);
    assert.equal(configOf(readConfig([], { STOP_WITH_PARENT: "true" })).stopWithParent, true);
  });

  it("should refuse credential and TLS options that only work together when one is missing", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ JWT_ISSUER: "https://login.example.com" }, /--jwt-issuer \(JWT_ISSUER\): needs --jwt-audience and --jwt-jwks-url/],
      [{ JWT_AUDIENCE: "sessions" }, /need --jwt-issuer/],
      [{ JWT_ISSUER: "https://login.example.com", JWT_AUDIENCE: "a", JWT_JWKS_URL: "file:///etc/keys" }, /--jwt-jwks-url \(JWT_JWKS_URL\): must be an http\(s\) URL/],
      [{ TLS_CERT_FILE: "c.pem" }, /--tls-cert-file and --tls-key-file .*set both or neither/],
      [{ TLS_CLIENT_CA_FILE: "ca.pem" }, /--tls-client-ca-file \(TLS_CLIENT_CA_FILE\): needs --tls-cert-file/],
      [{ CLIENT_CERTIFICATES_FILE: "certs.yaml", TLS_CERT_FILE: "c.pem", TLS_KEY_FILE: "k.pem" }, /--client-certificates-file .*needs --tls-client-ca-file/],
      [{ TRUSTED_PROXIES: "127.0.0.1" }, /--trusted-proxies \(TRUSTED_PROXIES\): needs --client-certificates-file/],
      [{ TRUSTED_PROXIES: "10.0.0.0/33", CLIENT_CERTIFICATES_FILE: "certs.yaml" }, /--trusted-proxies \(TRUSTED_PROXIES\): "10.0.0.0\/33" is not an IP address or CIDR range/],
      [{ JWT_ALGORITHMS: " , " }, /--jwt-algorithms \(JWT_ALGORITHMS\): must name at least one/],
      [{ CORS_ALLOWED_ORIGINS: "https://admin.example.com, admin.example.com" }, /--cors-allowed-origins \(CORS_ALLOWED_ORIGINS\): "admin.example.com" is not an origin/],
    ];
    for (const [env, message] of cases) assert.match(errorOf(readConfig([], env)), message, JSON.stringify(env));
  });

  it("should leave the page token secret unset by default, to be generated and kept in the database", () => {
    assert.equal(configOf(readConfig([], {})).pageTokenSecret, undefined);
  });

  it("should read every option from its flag", () => {
    for (const option of options) {
      const config = configOf(readConfig([`--${option.flag}`, option.raw], needsOf(option)));
      assert.deepEqual(config[option.key], option.value, option.flag);
    }
  });

  it("should accept --flag=value as well as --flag value", () => {
    assert.equal(configOf(readConfig(["--port=8081"], {})).port, 8081);
    assert.equal(configOf(readConfig(["--database-url=sqlite::memory:"], {})).databaseUrl, "sqlite::memory:");
  });

  it("should read every option from its environment variable", () => {
    for (const option of options) {
      const config = configOf(readConfig([], { ...needsOf(option), [option.env]: option.raw }));
      assert.deepEqual(config[option.key], option.value, option.env);
    }
  });

  it("should let a flag win over the environment variable", () => {
    const config = configOf(
      readConfig(["--port", "9000", "--log-level", "warn", "--migrate", "true"], { PORT: "8000", LOG_LEVEL: "trace", MIGRATE: "false", HOST: "::" }),
    );
    assert.equal(config.port, 9000);
    assert.equal(config.logLevel, "warn");
    assert.equal(config.migrate, true);
    assert.equal(config.host, "::");
  });

  it("should treat an empty environment variable as unset", () => {
    const empty = Object.fromEntries(options.map((o) => [o.env, ""]));
    assert.deepEqual(readConfig([], empty), readConfig([], {}));
  });

  it("should accept log levels in any case", () => {
    assert.equal(configOf(readConfig([], { LOG_LEVEL: "DEBUG" })).logLevel, "debug");
  });

  it("should ignore environment variables it does not know", () => {
    assert.deepEqual(readConfig([], { NODE_ENV: "production", port: "1", HOSTNAME: "box" }), readConfig([], {}));
  });

  describe("whole numbers", () => {
    const integerOptions = options.filter((o) => typeof o.value === "number");

    it("should reject what is not a whole number, naming the flag and the environment variable", () => {
      for (const option of integerOptions) {
        for (const raw of ["abc", "", "1.5", "-1", "1e3", "0x10", "12abc", "+5"]) {
          const prefix = `--${option.flag} (${option.env}): `;
          assert.ok(errorOf(readConfig([`--${option.flag}=${raw}`], {})).startsWith(prefix), `--${option.flag}=${raw}`);
          if (raw !== "") {
            assert.ok(errorOf(readConfig([], { [option.env]: raw })).startsWith(prefix), `${option.env}=${JSON.stringify(raw)}`);
          }
        }
      }
    });

    it("should quote the bad value", () => {
      assert.match(errorOf(readConfig(["--port", "eighty"], {})), /"eighty"/);
    });

    it("should reject numbers beyond the safe integer range", () => {
      assert.match(errorOf(readConfig(["--count-exact-limit", "99999999999999999999"], {})), /^--count-exact-limit \(COUNT_EXACT_LIMIT\): /);
    });

    it("should enforce each option's minimum", () => {
      const minimums = [
        ["db-pool-size", "DB_POOL_SIZE", 1],
        ["db-connect-timeout-ms", "DB_CONNECT_TIMEOUT_MS", 100],
        ["max-request-bytes", "MAX_REQUEST_BYTES", 1024],
        ["max-timeout-ms", "MAX_TIMEOUT_MS", 1],
        ["sweeper-interval-ms", "SWEEPER_INTERVAL_MS", 100],
        ["sweeper-batch-size", "SWEEPER_BATCH_SIZE", 1],
      ] as const;
      for (const [flag, env, min] of minimums) {
        assert.equal(errorOf(readConfig([`--${flag}`, String(min - 1)], {})), `--${flag} (${env}): must be at least ${min}`);
        assert.equal(errorOf(readConfig([], { [env]: String(min - 1) })), `--${flag} (${env}): must be at least ${min}`);
        assert.ok("config" in readConfig([`--${flag}`, String(min)], {}), flag);
      }
    });

    it("should accept 0 where it means off or pick-any", () => {
      const config = configOf(readConfig(["--port", "0", "--shutdown-grace-ms", "0", "--count-exact-limit", "0", "--count-refresh-ms", "0"], {}));
      assert.deepEqual([config.port, config.shutdownGraceMs, config.countExactLimit, config.countRefreshMs], [0, 0, 0, 0]);
    });

    it("should cap the sweeper's batch size at 10000", () => {
      assert.equal(configOf(readConfig(["--sweeper-batch-size", "10000"], {})).sweeperBatchSize, 10_000);
      assert.equal(errorOf(readConfig([], { SWEEPER_BATCH_SIZE: "10001" })), "--sweeper-batch-size (SWEEPER_BATCH_SIZE): must be at most 10000");
    });

    it("should accept the highest port", () => {
      assert.equal(configOf(readConfig(["--port", "65535"], {})).port, 65535);
    });

    it(
      "should reject a port above 65535",
      
      () => {
        assert.match(errorOf(readConfig(["--port", "65536"], {})), /^--port \(PORT\): /);
        assert.match(errorOf(readConfig([], { PORT: "70000" })), /^--port \(PORT\): /);
      },
    );
  });

  describe("booleans", () => {
    it("should accept true/false, 1/0, yes/no and on/off in any case", () => {
      for (const raw of ["true", "TRUE", "True", "1", "yes", "YES", "on", "On"]) {
        assert.equal(configOf(readConfig(["--migrate", raw], {})).migrate, true, raw);
      }
      for (const raw of ["false", "FALSE", "0", "no", "No", "off", "OFF"]) {
        assert.equal(configOf(readConfig([], { MIGRATE: raw })).migrate, false, raw);
      }
    });

    it("should read a bare boolean flag as true, wherever it stands", () => {
      const booleans = options.filter((o) => typeof o.value === "boolean");
      assert.ok(booleans.length >= 6);
      for (const option of booleans) {
        const off = { [option.env]: "false" };
        assert.equal(configOf(readConfig([`--${option.flag}`], off))[option.key], true, `--${option.flag} last`);
        assert.equal(configOf(readConfig([`--${option.flag}`, "--port", "8080"], off))[option.key], true, `--${option.flag} before a flag`);
        assert.equal(configOf(readConfig(["--port", "8080", `--${option.flag}`, "--log-level=warn"], off))[option.key], true, `--${option.flag} between flags`);
      }
    });

    it("should read --no-<flag> and --<flag>=false as false", () => {
      for (const option of options.filter((o) => typeof o.value === "boolean")) {
        const on = { [option.env]: "true" };
        assert.equal(configOf(readConfig([`--no-${option.flag}`], on))[option.key], false, `--no-${option.flag}`);
        assert.equal(configOf(readConfig([`--${option.flag}=false`, "--port", "1"], on))[option.key], false, `--${option.flag}=false`);
        assert.equal(configOf(readConfig([`--${option.flag}=true`], { [option.env]: "false" }))[option.key], true, `--${option.flag}=true`);
      }
      assert.equal(configOf(readConfig(["--sweeper", "--no-sweeper"], {})).sweeper, false, "the last one wins");
    });

    it("should still ask for the value of a string flag that a switch follows", () => {
      assert.match(errorOf(readConfig(["--signing-key-id", "--no-migrate"], {})), /^Option '--signing-key-id' argument is ambiguous/);
      assert.match(errorOf(readConfig(["--migrate", "--issuer"], {})), /^Option '--issuer <value>' argument missing/);
    });

    it("should not invent --no- forms for flags that are not booleans", () => {
      assert.match(errorOf(readConfig(["--no-port"], {})), /Unknown option '--no-port'/);
      assert.match(errorOf(readConfig(["--no-migrate=true"], {})), /Unknown option '--no-migrate'/);
    });

    it("should reject anything else, naming the flag and the environment variable", () => {
      for (const raw of ["maybe", "", "2", "y", "t", "truee", " true"]) {
        assert.match(errorOf(readConfig(["--migrate", raw], {})), /^--migrate \(MIGRATE\): expected true or false/, JSON.stringify(raw));
      }
      assert.match(errorOf(readConfig([], { MIGRATE: "enabled" })), /^--migrate \(MIGRATE\): .*"enabled"/);
    });
  });

  describe("log level", () => {
    it("should accept the six pino levels", () => {
      for (const level of ["fatal", "error", "warn", "info", "debug", "trace"] as const) {
        assert.equal(configOf(readConfig(["--log-level", level], {})).logLevel, level);
      }
    });

    it("should reject other levels, listing the valid ones", () => {
      for (const raw of ["verbose", "warning", "silent"]) {
        const error = errorOf(readConfig([], { LOG_LEVEL: raw }));
        assert.match(error, /^--log-level \(LOG_LEVEL\): /, raw);
        assert.match(error, /fatal, error, warn, info, debug, trace/, raw);
      }
    });
  });

  describe("page token secret", () => {
    it("should accept 32 characters or more", () => {
      assert.deepEqual(configOf(readConfig(["--page-token-secret", secret], {})).pageTokenSecret, Buffer.from(secret));
      const long = "x".repeat(100);
      assert.deepEqual(configOf(readConfig([], { PAGE_TOKEN_SECRET: long })).pageTokenSecret, Buffer.from(long));
    });

    it("should reject a shorter secret without repeating it", () => {
      const short = "hunter2-hunter2-hunter2-hunter2";
      assert.equal(short.length, 31);
      for (const result of [readConfig(["--page-token-secret", short], {}), readConfig([], { PAGE_TOKEN_SECRET: short })]) {
        const error = errorOf(result);
        assert.match(error, /^--page-token-secret \(PAGE_TOKEN_SECRET\): .*32/);
        assert.equal(error.includes("hunter2"), false);
      }
    });
  });

  describe("logout notifications", () => {
    it("should leave the issuer, key files and allowed addresses unset by default", () => {
      const config = configOf(readConfig([], {}));
      assert.deepEqual([config.issuer, config.signingKeyFiles, config.signingKeyId, config.notifierAllowAddresses], [undefined, undefined, undefined, undefined]);
    });

    it("should accept an http(s) issuer exactly as given, and refuse anything else", () => {
      assert.equal(configOf(readConfig(["--issuer", "https://idp.example.com/"], {})).issuer, "https://idp.example.com/");
      for (const raw of ["idp.example.com", "ftp://idp.example.com", "https://idp.example.com/?tenant=1", "https://idp.example.com/#x"]) {
        assert.match(errorOf(readConfig(["--issuer", raw], {})), /^--issuer \(ISSUER\): /, raw);
      }
    });

    it("should accept the three signing algorithms in any case and refuse others", () => {
      for (const alg of ["RS256", "ps256", "Es256"]) assert.equal(configOf(readConfig([], { LOGOUT_TOKEN_ALG: alg })).logoutTokenAlg, alg.toUpperCase());
      assert.match(errorOf(readConfig(["--logout-token-alg", "HS256"], {})), /^--logout-token-alg \(LOGOUT_TOKEN_ALG\): expected one of RS256, ES256, PS256/);
    });

    it("should refuse allowed addresses that are not addresses or CIDR ranges, naming the entry", () => {
      for (const raw of ["localhost", "127.0.0.1/33", "10.0.0.0/8/1", "::1/129", "127.0.0.1/x"]) {
        const error = errorOf(readConfig(["--notifier-allow-addresses", `::1, ${raw}`], {}));
        assert.ok(error.startsWith("--notifier-allow-addresses (NOTIFIER_ALLOW_ADDRESSES): "), raw);
        assert.ok(error.includes(raw), raw);
      }
    });

    it("should enforce the notifier's minimums", () => {
      assert.match(errorOf(readConfig(["--notifier-timeout-ms", "99"], {})), /^--notifier-timeout-ms \(NOTIFIER_TIMEOUT_MS\): must be at least 100/);
      assert.match(errorOf(readConfig(["--notifier-concurrency", "0"], {})), /^--notifier-concurrency \(NOTIFIER_CONCURRENCY\): must be at least 1/);
      assert.match(errorOf(readConfig(["--notifier-max-attempts", "0"], {})), /^--notifier-max-attempts \(NOTIFIER_MAX_ATTEMPTS\): must be at least 1/);
    });
  });

  describe("database URL", () => {
    it("should reject an unusable URL, naming the flag and the environment variable", () => {
      for (const raw of ["postgres://db/sessions", "sqlite:", "mysql://db/", "sessions.db", ""]) {
        assert.match(errorOf(readConfig(["--database-url", raw], {})), /^--database-url \(DATABASE_URL\): /, raw);
        if (raw !== "") assert.match(errorOf(readConfig([], { DATABASE_URL: raw })), /^--database-url \(DATABASE_URL\): /, raw);
      }
    });

    it(
      "should reject a malformed percent escape instead of throwing",
      
      () => {
        assert.match(errorOf(readConfig([], { DATABASE_URL: "mysql://app:100%@db/sessions" })), /^--database-url \(DATABASE_URL\): /);
      },
    );
  });

  describe("command line", () => {
    it("should reject an unknown flag, naming it, and show the usage", () => {
      const error = errorOf(readConfig(["--prot", "8080"], {}));
      assert.match(error, /--prot/);
      assert.ok(error.includes(usage()));
    });

    it("should reject positional arguments", () => {
      assert.match(errorOf(readConfig(["serve"], {})), /serve/);
    });

    it("should reject a flag without its value", () => {
      assert.match(errorOf(readConfig(["--port"], {})), /--port/);
    });

    it("should answer --help and -h with the help text", () => {
      assert.deepEqual(readConfig(["--help"], {}), { help: usage() });
      assert.deepEqual(readConfig(["-h"], {}), { help: usage() });
    });

    it("should show the help even when other values are invalid", () => {
      assert.deepEqual(readConfig(["--port", "eighty", "--help"], { LOG_LEVEL: "loud" }), { help: usage() });
    });
  });
});

describe("usage()", () => {
  it("should list every flag with its environment variable", () => {
    const text = usage();
    for (const option of options) {
      const line = text.split("\n").find((l) => l.trimStart().startsWith(`--${option.flag} `) || l.trimStart().startsWith(`--${option.flag}[`));
      assert.ok(line, `--${option.flag} is listed`);
      assert.match(line, new RegExp(`\\s${option.env}$`), option.flag);
    }
    assert.match(text, /-h, --help/);
  });

  it("should list exactly the options readConfig() accepts", () => {
    const listed = [...usage().matchAll(/^ {2}--([a-z0-9-]+)(?: <|\[=<bool>\])/gm)].map((m) => m[1]);
    assert.deepEqual(listed, options.map((o) => o.flag));
  });

  it("should show the defaults", () => {
    const text = usage();
    for (const fallback of ["127.0.0.1", "50051", "sqlite:./data/sessions.db", "(default: info)", "(default: true)", "(default: 4194304)"]) {
      assert.ok(text.includes(fallback), fallback);
    }
  });

  it("should show that a boolean option may stand alone or be negated", () => {
    const text = usage();
    assert.match(text, /^ {2}--allow-http-logout-uris\[=<bool>\] +ALLOW_HTTP_LOGOUT_URIS$/m);
    assert.match(text, /alone means true: --migrate; false is --no-migrate or --migrate=false/);
  });

  it("should say that flags win over environment variables", () => {
    assert.match(usage(), /flags win/);
  });
});
