import type { DataSource } from "typeorm";

const causal = "SET SESSION wsrep_sync_wait = 1";

interface PoolConnection {
  query(sql: string, callback: (error: unknown) => void): unknown;
}

interface MysqlPool {
  on(event: "connection", listener: (connection: PoolConnection) => void): void;
  _allConnections?: { toArray?(): PoolConnection[] };
}

/**
 * On a Galera node, makes every pooled connection read causally
 * (`wsrep_sync_wait = 1`): a read first waits until this node has applied
 * every write committed anywhere in the cluster before it, so that a session
 * written through an instance on one node is found at once through an
 * instance on another, as on one server. Does nothing elsewhere (MySQL has
 * no wsrep variables; a MariaDB without a cluster reports wsrep_on OFF).
 * Returns whether the database is a Galera node.
 */
export async function readCausallyOnGalera(dataSource: DataSource): Promise<boolean> {
  const [row] = (await dataSource.query("SHOW VARIABLES LIKE 'wsrep_on'")) as { Value?: unknown }[];
  if (String(row?.Value ?? "").toUpperCase() !== "ON") return false;
  const pool = (dataSource.driver as unknown as { pool?: MysqlPool }).pool;
  if (pool === undefined) return true;
  // A connection runs its commands in order: the setting precedes its first query.
  const apply = (connection: PoolConnection) => connection.query(causal, () => undefined);
  pool.on("connection", apply);
  for (const connection of pool._allConnections?.toArray?.() ?? []) apply(connection);
  return true;
}
