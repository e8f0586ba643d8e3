import type { PageCursor } from "./page-cursor.js";

/** A recorded state-changing call. */
export interface AuditEvent {
  pk: number;
  at: Date;
  principalId: string;
  method: string;
  requestJson: string;
  code: string;
  outcomeJson?: string;
}

/** Selects audit events; fields combine with AND. */
export interface AuditFilter {
  principalId?: string;
  method?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** The audit trail: append-only. */
export interface AuditLog {
  record(event: Omit<AuditEvent, "pk">): Promise<void>;
  /** Up to `limit` events matching the filter beyond the cursor, nearest first. */
  findPage(filter: AuditFilter, cursor: PageCursor, limit: number): Promise<AuditEvent[]>;
  existsBeyond(filter: AuditFilter, cursor: PageCursor): Promise<boolean>;
}
