import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import mysql from "mysql2/promise";

/**
 * A three-node MariaDB Galera cluster on loopback, with HAProxy in front in
 * TCP mode, for the cluster suites and the cluster benchmark. Ports come from
 * GALERA_BASE_PORT (43000 unless set): node n (1–3) serves MySQL on
 * base + 10n, group communication on +1, incremental state transfer on +2,
 * full state transfer (rsync) on +3; HAProxy listens on base + 100.
 * Everything lives in one folder under /tmp, owned by the mysql user (a node
 * run as root would make the rsync state transfer run as nobody and fail),
 * and is removed by stop(), or at process exit or on SIGINT/SIGTERM if stop()
 * was never reached.
 */
export interface GaleraCluster {
  /** mysql:// URL of one node (1–3), without a database name. */
  nodeUrl(node: number): string;
  /** mysql:// URL of HAProxy in front of the three nodes. */
  readonly proxyUrl: string;
  /** Kills a node at once (SIGKILL), as a crash or a lost machine would. */
  kill(node: number): Promise<void>;
  /** Starts a killed node again; resolves once it is back in the cluster and synced. */
  rejoin(node: number): Promise<void>;
  /** Runs one statement on a node as root. */
  query<T = Record<string, unknown>>(node: number, sql: string, params?: unknown[]): Promise<T[]>;
  /** Kills every node and HAProxy and removes the cluster's folder. */
  stop(): Promise<void>;
}

/** Why a cluster cannot run on this machine, or undefined when it can. */
export function galeraUnavailable(): string | undefined {
  const needed = ["/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/lib/galera/libgalera_smm.so", "/usr/sbin/haproxy", "/usr/bin/rsync", "/usr/bin/wsrep_sst_rsync"];
  const missing = needed.filter((path) => !existsSync(path));
  if (missing.length > 0) return `missing ${missing.join(", ")} (apt-get install galera-4 mariadb-server haproxy rsync)`;
  if (process.getuid?.() !== 0) return "the nodes run as the mysql user, which needs root to start them";
  return undefined;
}

/** Whether a cluster that cannot start must fail the run (CI=true) instead of skipping. */
export const galeraRequired = process.env.CI === "true";

const basePort = Number(process.env.GALERA_BASE_PORT ?? 43000);
const nodes = [1, 2, 3] as const;
const mysqlPort = (node: number) => basePort + 10 * node;
const proxyPort = basePort + 100;

/**
 * Initialises and starts the cluster: node 1 bootstraps it, nodes 2 and 3
 * join by state transfer; resolves once all three are synced and HAProxy
 * sees them. Fails (after cleaning up) if that takes longer than `timeoutMs`.
 */
export async function startGaleraCluster(timeoutMs = 120_000): Promise<GaleraCluster> {
  const root = mkdtempSync("/tmp/galera-");
  chmodSync(root, 0o755);
  const processes = new Map<string, ChildProcess>();
  const connections = new Map<number, mysql.Connection>();
  let stopped = false;
  const killAll = () => {
    for (const child of processes.values()) if (child.exitCode === null) child.kill("SIGKILL");
  };
  const onExit = () => {
    killAll();
    rmSync(root, { recursive: true, force: true });
  };
  // Interrupted (Ctrl-C, a CI timeout): the nodes must not outlive this process.
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    process.kill(process.pid, signal);
  };
  process.on("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const dataDir = (node: number) => join(root, `node${node}`, "data");
  const logFile = (node: number) => join(root, `node${node}`, "error.log");
  const gcomm = nodes.map((n) => `127.0.0.1:${mysqlPort(n) + 1}`).join(",");

  const startNode = (node: number, bootstrap: boolean) => {
    const port = mysqlPort(node);
    const args = [
      "--no-defaults",
      "--user=mysql",
      `--datadir=${dataDir(node)}`,
      `--socket=${join(root, `node${node}`, "mysqld.sock")}`,
      `--pid-file=${join(root, `node${node}`, "mysqld.pid")}`,
      `--log-error=${logFile(node)}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      "--innodb-buffer-pool-size=64M",
      "--innodb-log-file-size=16M",
      "--innodb-flush-log-at-trx-commit=2",
      "--performance-schema=OFF",
      "--max-connections=300",
      "--binlog-format=ROW",
      "--default-storage-engine=InnoDB",
      "--innodb-autoinc-lock-mode=2",
      "--wsrep-on=ON",
      "--wsrep-provider=/usr/lib/galera/libgalera_smm.so",
      `--wsrep-cluster-address=gcomm://${gcomm}`,
      "--wsrep-cluster-name=sessionmanagement-test",
      `--wsrep-node-name=node${node}`,
      `--wsrep-node-address=127.0.0.1:${port + 1}`,
      `--wsrep-node-incoming-address=127.0.0.1:${port}`,
      // Short failure detection, so that a killed node leaves the cluster within seconds.
      `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${port + 1};ist.recv_addr=127.0.0.1:${port + 2};gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S;evs.inactive_check_period=PT1S;evs.keepalive_period=PT1S;pc.wait_prim_timeout=PT30S`,
      `--wsrep-sst-receive-address=127.0.0.1:${port + 3}`,
      "--wsrep-sst-method=rsync",
      ...(bootstrap ? ["--wsrep-new-cluster"] : []),
    ];
    const child = spawn("/usr/sbin/mariadbd", args, { stdio: "ignore", env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } });
    processes.set(`node${node}`, child);
  };

  const connection = async (node: number) => {
    const existing = connections.get(node);
    if (existing !== undefined) return existing;
    const created = await mysql.createConnection({ host: "127.0.0.1", port: mysqlPort(node), user: "root", connectTimeout: 2000 });
    created.on("error", () => connections.delete(node));
    connections.set(node, created);
    return created;
  };
  const query = async <T>(node: number, sql: string, params: unknown[] = []): Promise<T[]> => {
    try {
      const [rows] = await (await connection(node)).query(sql, params);
      return rows as T[];
    } catch (error) {
      connections.get(node)?.destroy();
      connections.delete(node);
      throw error;
    }
  };
  const synced = async (node: number, size: number = nodes.length): Promise<boolean> => {
    try {
      const rows = await query<{ Variable_name: string; Value: string }>(node, "SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_ready')");
      const status = Object.fromEntries(rows.map((row) => [row.Variable_name, row.Value]));
      return status.wsrep_local_state_comment === "Synced" && status.wsrep_ready === "ON" && Number(status.wsrep_cluster_size) === size;
    } catch {
      return false;
    }
  };
  const waitSynced = async (which: readonly number[], deadline: number, size: number = nodes.length) => {
    for (;;) {
      const states = await Promise.all(which.map((node) => synced(node, size)));
      if (states.every(Boolean)) return;
      for (const node of which) {
        const child = processes.get(`node${node}`);
        if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`node ${node} exited with ${child.exitCode}: see its log\n${tail(logFile(node))}`);
      }
      if (Date.now() > deadline) throw new Error(`nodes ${which.join(", ")} not synced in time\n${which.map((n) => tail(logFile(n))).join("\n")}`);
      await sleep(250);
    }
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const c of connections.values()) c.destroy();
    connections.clear();
    killAll();
    await Promise.all([...processes.values()].map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once("exit", resolve)))));
    rmSync(root, { recursive: true, force: true });
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };

  try {
    const deadline = Date.now() + timeoutMs;
    // One initialised data folder, copied: nodes 2 and 3 receive node 1's by state transfer anyway.
    mkdirSync(join(root, "node1"));
    execFileSync("/usr/bin/mariadb-install-db", ["--no-defaults", `--datadir=${dataDir(1)}`, "--user=mysql", "--auth-root-authentication-method=normal", "--skip-test-db"], {
      stdio: "ignore",
    });
    for (const node of [2, 3]) cpSync(join(root, "node1"), join(root, `node${node}`), { recursive: true });
    execFileSync("/usr/bin/chown", ["-R", "mysql:mysql", root]);
    startNode(1, true);
    await waitSynced([1], deadline, 1);
    // HAProxy's health check logs in as this user (no password, no privileges).
    await query(1, "CREATE USER IF NOT EXISTS 'haproxy_check'@'127.0.0.1'");
    startNode(2, false);
    await waitSynced([1, 2], deadline, 2);
    startNode(3, false);
    await waitSynced([1, 2, 3], deadline);
    const config = join(root, "haproxy.cfg");
    writeFileSync(config, haproxyConfig());
    const proxy = spawn("/usr/sbin/haproxy", ["-f", config, "-db"], { stdio: "ignore" });
    processes.set("haproxy", proxy);
    await waitProxy(deadline, proxy);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    nodeUrl: (node) => `mysql://root@127.0.0.1:${mysqlPort(node)}/`,
    proxyUrl: `mysql://root@127.0.0.1:${proxyPort}/`,
    query,
    async kill(node) {
      const child = processes.get(`node${node}`)!;
      connections.get(node)?.destroy();
      connections.delete(node);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    async rejoin(node) {
      startNode(node, false);
      await waitSynced([node], Date.now() + timeoutMs);
    },
    stop,
  };
}

async function waitProxy(deadline: number, proxy: ChildProcess): Promise<void> {
  for (;;) {
    try {
      const c = await mysql.createConnection({ host: "127.0.0.1", port: proxyPort, user: "root", connectTimeout: 1000 });
      try {
        await c.query("SELECT 1");
        return;
      } finally {
        c.destroy();
      }
    } catch (error) {
      if (proxy.exitCode !== null) throw new Error(`haproxy exited with ${proxy.exitCode}`);
      if (Date.now() > deadline) throw new Error(`haproxy did not answer in time: ${(error as Error).message}`);
      await sleep(200);
    }
  }
}

// TCP mode with MySQL's own health check, as Galera is deployed behind
// HAProxy; connections to a node marked down are cut at once so that the
// pools reconnect to a live node.
function haproxyConfig(): string {
  const servers = nodes
    .map((n) => `    server node${n} 127.0.0.1:${mysqlPort(n)} check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions`)
    .join("\n");
  return `global
    maxconn 2000

defaults
    mode tcp
    timeout connect 2s
    timeout client 1h
    timeout server 1h

listen galera
    bind 127.0.0.1:${proxyPort}
    balance leastconn
    option mysql-check user haproxy_check post-41
${servers}
`;
}

function tail(path: string): string {
  try {
    return execFileSync("/usr/bin/tail", ["-n", "30", path], { encoding: "utf8" });
  } catch {
    return "";
  }
}
