import type { PlannedNotification, TerminationReason } from "../../domain/termination-plan.js";
import type { NotificationOutbox, NotificationStatus, OutboxFilter, OutboxNotification } from "../notification-outbox.js";
import type { Dialect } from "./dialect.js";
import { conditions } from "./sql-conditions.js";
import { chunks, rowMarks } from "./sql-lists.js";
import type { SqlExecutor } from "./sql-executor.js";

const insertColumns = ["client_id", "subject_id", "session_id", "issuer", "reason", "status", "attempts", "next_attempt_at", "created"];

/** The logout notification outbox on TypeORM's connection, in portable SQL. */
export function createNotificationOutbox(sql: SqlExecutor, dialect: Dialect): NotificationOutbox {
  return {
    async enqueue(notifications: readonly PlannedNotification[], now: Date): Promise<number> {
      const at = dialect.time(now);
      let queued = 0;
      for (const part of chunks(notifications, 200)) {
        queued += await sql.run(
          `INSERT INTO logout_notifications (${insertColumns.join(", ")}) VALUES ${rowMarks(part.length, insertColumns.length)}`,
          part.flatMap((n) => [n.clientId, n.subjectId, n.sessionId ?? null, n.issuer ?? null, n.reason, "pending", 0, at, at]),
        );
      }
      return queued;
    },

    async list(filter: OutboxFilter, limit: number): Promise<OutboxNotification[]> {
      const where = conditions()
        .equals("subject_id", filter.subjectId)
        .equals("session_id", filter.sessionId)
        .equals("client_id", filter.clientId)
        .equals("status", filter.status);
      const rows = await sql.rows<NotificationRow>(
        `SELECT id, client_id, subject_id, session_id, issuer, reason, status, attempts, next_attempt_at, created FROM logout_notifications${where.whereSql()} ORDER BY id LIMIT ?`,
        [...where.params, limit],
      );
      return rows.map((row) => ({
        id: dialect.readPk(row.id),
        clientId: dialect.readText(row.client_id),
        subjectId: dialect.readText(row.subject_id),
        sessionId: row.session_id === null ? undefined : dialect.readText(row.session_id),
        issuer: row.issuer === null ? undefined : dialect.readText(row.issuer),
        reason: dialect.readText(row.reason) as TerminationReason,
        status: dialect.readText(row.status) as NotificationStatus,
        attempts: Number(row.attempts),
        nextAttemptAt: dialect.readTime(row.next_attempt_at),
        created: dialect.readTime(row.created),
      }));
    },
  };
}

interface NotificationRow {
  id: unknown;
  client_id: unknown;
  subject_id: unknown;
  session_id: unknown;
  issuer: unknown;
  reason: unknown;
  status: unknown;
  attempts: unknown;
  next_attempt_at: unknown;
  created: unknown;
}
