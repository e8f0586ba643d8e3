import { randomBytes } from "node:crypto";
import { pino, type Logger } from "pino";
import type { Config } from "../../src/server/config.js";
import { openStores } from "../../src/server/open-stores.js";
import { startServer, type RunningServer } from "../../src/server/server.js";
import type { Stores } from "../../src/store/stores.js";
import { testConfig } from "./server.js";

/** One service instance on a cluster: its server and the stores it runs on. */
export interface ClusterInstance {
  server: RunningServer;
  stores: Stores;
  close(): Promise<void>;
}

/** A database name no other suite uses; the service creates it on first start. */
export function clusterDatabaseName(): string {
  return `sm_cluster_${randomBytes(6).toString("hex")}`;
}

/**
 * Starts an instance as `npm start` would (open the database, creating it if
 * missing, migrate, then serve) on `serverUrl` (a node or the proxy) and the
 * database `name`. It logs errors (CLUSTER_LOG_LEVEL sets the level), so a failure under load says why.
 */
export async function startClusterInstance(serverUrl: string, name: string, overrides: Partial<Config> = {}, logger: Logger = pino({ level: process.env.CLUSTER_LOG_LEVEL ?? "error" }, pino.destination(2))): Promise<ClusterInstance> {
  const config = testConfig({ databaseUrl: new URL(name, serverUrl).toString(), dbPoolSize: 6, healthCheckIntervalMs: 200, ...overrides });
  const stores = await openStores(config, logger);
  try {
    const server = await startServer(config, stores, logger);
    return {
      server,
      stores,
      async close() {
        await server.close(200);
        await stores.close();
      },
    };
  } catch (error) {
    await stores.close();
    throw error;
  }
}
