import type { AuditLog } from "./audit-log.js";
import type { ClientStore } from "./client-store.js";
import type { GrantStore } from "./grant-store.js";
import type { NotificationOutbox } from "./notification-outbox.js";
import type { SecretStore } from "./secret-store.js";
import type { SessionStore } from "./session-store.js";
import type { TerminationJobStore } from "./termination-job-store.js";

/** The stores, bound either to the database or to one transaction. */
export interface StoreSet {
  sessions: SessionStore;
  grants: GrantStore;
  clients: ClientStore;
  outbox: NotificationOutbox;
  secrets: SecretStore;
  audit: AuditLog;
  /** Durable bulk termination jobs. */
  jobs: TerminationJobStore;
}

/** How a transaction isolates itself from concurrent ones. */
export interface TransactionOptions {
  /**
   * Work queues claimed by several instances at once (`FOR UPDATE SKIP
   * LOCKED`) run with "read-committed": no gap locks, and statements pass over
   * rows other transactions hold instead of waiting for them. SQLite, with a
   * single writer, ignores it.
   */
  isolation?: "read-committed";
}

/** The service's persistence: every store, plus transactions and lifecycle. */
export interface Stores extends StoreSet {
  /** Which database backs the stores. */
  readonly kind: "mysql" | "sqlite";
  /**
   * Runs `work` in one transaction: everything it writes commits together or
   * not at all. Retried from the start when the database reports a deadlock.
   */
  transaction<T>(work: (tx: StoreSet) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Connections of the pool: open, in use, and calls waiting for one (SQLite: its one connection). */
  poolUsage(): { size: number; inUse: number; waiting: number };
  /** Checks that the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
