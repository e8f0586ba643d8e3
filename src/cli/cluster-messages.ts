/** What a worker tells the primary of a cluster (see cluster-primary.ts). */
export type WorkerMessage =
  /** It listens: the primary shows a generated admin key once the ports are known. */
  | { type: "session-management:listening"; port: number; httpPort: number; tls: boolean }
  /** It was asked to stop (SIGTERM, SIGINT): every worker stops with it. */
  | { type: "session-management:stop"; reason: string };

/** Sends a message to the primary, when this process is a worker. */
export function tellPrimary(message: WorkerMessage): void {
  if (process.send !== undefined && process.connected) process.send(message);
}
