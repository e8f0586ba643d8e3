import { pino } from "pino";
import type { Config } from "../../src/server/config.js";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { testApiKeysFile } from "./test-credentials.js";
import type { TestBackend, TestDatabase } from "./backends.js";

/** The server's defaults, on a free loopback port. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    host: "127.0.0.1",
    port: 0,
    databaseUrl: "sqlite::memory:",
    dbPoolSize: 8,
    dbConnectTimeoutMs: 5000,
    maxStatementMs: 30_000,
    migrate: true,
    workers: 1,
    maxRequestBytes: 4 * 1024 * 1024,
    maxTicketBytes: 64 * 1024,
    maxGrantDataBytes: 64 * 1024,
    maxPageBytes: 1024 * 1024,
    maxTimeoutMs: 300_000,
    compressMinBytes: 64 * 1024,
    shutdownGraceMs: 1000,
    countExactLimit: 10_000,
    countRefreshMs: 5000,
    logLevel: "error",
    allowHttpLogoutUris: false,
    // The fixtures' sessions expired long ago: suites that test the sweeper turn it on.
    sweeper: false,
    sweeperIntervalMs: 60_000,
    sweeperBatchSize: 500,
    sweeperRevokeTokens: true,
    sweeperNotify: true,
    grantRetentionMs: 86_400_000,
    notificationRetentionMs: 7 * 86_400_000,
    // Suites that test termination jobs turn the runner on.
    terminationJobs: false,
    terminationBatchSize: 500,
    terminationDefaultRate: 2000,
    terminationMaxRate: 20_000,
    terminationLeaseMs: 15_000,
    terminationPollMs: 1000,
    previewExactLimit: 10_000,
    httpPort: 0,
    logoutTokenAlg: "RS256",
    // Suites that test delivery turn it on; the others queue notifications
    // for relying parties that do not exist.
    notifier: false,
    notifierPollMs: 5000,
    notifierConcurrency: 64,
    notifierPerDestination: 8,
    notifierTimeoutMs: 5000,
    notifierMaxAttempts: 25,
    notifierRetryBaseMs: 1000,
    notifierRetryMaxMs: 4 * 3600 * 1000,
    apiKeysFile: testApiKeysFile(),
    jwtAlgorithms: "RS256,PS256,ES256,EdDSA",
    jwtClockSkewSeconds: 30,
    maxConcurrentStreams: 100,
    // TEST_HTTP2_ADAPTER=compat runs any suite against the other way of serving HTTP/2.
    http2Adapter: process.env.TEST_HTTP2_ADAPTER === "compat" ? "compat" : "stream",
    healthCheckIntervalMs: 5000,
    ...overrides,
  };
}

/** A server on a fresh database of one backend. */
export interface TestServer {
  readonly port: number;
  /** The HTTP/1.1 listener's port (JWKS, discovery). */
  readonly httpPort: number;
  readonly db: TestDatabase;
  /** Stops the server and starts a new one on the same database. */
  restart(overrides?: Partial<Config>): Promise<void>;
  /** Stops the server and drops the database. */
  stop(): Promise<void>;
}

/** Starts the real server (real listener, real stores) on a fresh database. */
export async function startTestServer(backend: TestBackend, overrides: Partial<Config> = {}): Promise<TestServer> {
  const db = await backend.open();
  const start = (more: Partial<Config>) =>
    startServer(testConfig({ databaseUrl: db.url, ...overrides, ...more }), db.stores, pino({ level: "silent" }));
  let server: RunningServer = await start({});
  return {
    get port() {
      return server.port;
    },
    get httpPort() {
      return server.httpPort;
    },
    db,
    async restart(more = {}) {
      await server.close();
      server = await start(more);
    },
    async stop() {
      await server.close();
      await db.drop();
    },
  };
}
