import { randomBytes } from "node:crypto";
import type { PlannedNotification, TerminationReason } from "../../domain/termination-plan.js";
import type {
  AttemptOutcome,
  ClaimedNotification,
  NotificationOutbox,
  NotificationStatus,
  OutboxFilter,
  OutboxNotification,
} from "../notification-outbox.js";
import type { PageCursor } from "../page-cursor.js";
import type { Dialect } from "./dialect.js";
import { keysetBound } from "./keyset.js";
import { conditions, type Conditions } from "./sql-conditions.js";
import { chunks, marks, rowMarks } from "./sql-lists.js";
import type { SqlExecutor } from "./sql-executor.js";

const insertColumns = ["client_id", "subject_id", "session_id", "issuer", "reason", "status", "attempts", "next_attempt_at", "created"];
const rowColumns =
  "id, client_id, subject_id, session_id, issuer, reason, status, attempts, next_attempt_at, created, last_attempt_at, last_status_code, last_error, delivered_at";

/**
 * The logout notification outbox on TypeORM's connection, in portable SQL.
 * With `traceparent` (tracing on), queued rows keep the trace context of the
 * call that queued them, and claims return it.
 */
export function createNotificationOutbox(sql: SqlExecutor, dialect: Dialect, traceparent?: () => string | undefined): NotificationOutbox {
  const findPage = async (filter: OutboxFilter, cursor: PageCursor, limit: number): Promise<OutboxNotification[]> => {
    const { where, order } = selectRows(filter, cursor, dialect);
    const rows = await sql.rows<NotificationRow>(
      `SELECT ${rowColumns} FROM logout_notifications${where.whereSql()} ORDER BY id ${order} LIMIT ?`,
      [...where.params, limit],
    );
    return rows.map((row) => toNotification(row, dialect));
  };

  return {
    async enqueue(notifications: readonly PlannedNotification[], now: Date): Promise<number> {
      const at = dialect.time(now);
      // Only traced stores write the column: untraced ones leave it null at no cost.
      const traced = traceparent === undefined ? [] : [traceparent() ?? null];
      const columns = traceparent === undefined ? insertColumns : [...insertColumns, "trace_context"];
      let queued = 0;
      for (const part of chunks(notifications, 1000)) {
        queued += await sql.run(
          `INSERT INTO logout_notifications (${columns.join(", ")}) VALUES ${rowMarks(part.length, columns.length)}`,
          part.flatMap((n) => [n.clientId, n.subjectId, n.sessionId ?? null, n.issuer ?? null, n.reason, "pending", 0, at, at, ...traced]),
        );
      }
      return queued;
    },

    list: (filter, limit) => findPage(filter, { direction: "forward" }, limit),

    findPage,

    async existsBeyond(filter: OutboxFilter, cursor: PageCursor): Promise<boolean> {
      const { where } = selectRows(filter, cursor, dialect);
      const rows = await sql.rows(`SELECT 1 AS found FROM logout_notifications${where.whereSql()} LIMIT 1`, where.params);
      return rows.length > 0;
    },

    async claimDue(now: Date, limit: number, leaseMs: number, skipClients = new Set<string>()): Promise<ClaimedNotification[]> {
      // Final rows have no next attempt time, so the due rows are one range of
      // IDX_notifications_due, read in the order they fell due.
      const where = conditions().add("next_attempt_at <= ?", dialect.time(now));
      if (skipClients.size > 0) where.add(`client_id NOT IN (${marks(skipClients.size)})`, ...skipClients);
      const rows = await sql.rows<ClaimRow>(
        `SELECT id, client_id, subject_id, session_id, issuer, reason, attempts${traceparent === undefined ? "" : ", trace_context"} FROM logout_notifications${where.whereSql()} ORDER BY next_attempt_at, id LIMIT ?${dialect.forUpdateSkipLocked}`,
        [...where.params, limit],
      );
      if (rows.length === 0) return [];
      const claimToken = randomBytes(16).toString("hex");
      const ids = rows.map((row) => dialect.readPk(row.id));
      await sql.run(`UPDATE logout_notifications SET next_attempt_at = ?, claim_token = ? WHERE id IN (${marks(ids.length)})`, [
        dialect.time(new Date(now.getTime() + leaseMs)),
        claimToken,
        ...ids,
      ]);
      return rows.map((row) => {
        const traceContext = optionalText(row.trace_context, dialect);
        return { ...toQueued(row, dialect), claimToken, ...(traceContext === undefined ? {} : { traceContext }) };
      });
    },

    async removeDelivered(before: Date, limit: number): Promise<number> {
      const rows = await sql.rows<{ id: unknown }>(
        `SELECT id FROM logout_notifications WHERE delivered_at < ? ORDER BY delivered_at LIMIT ?${dialect.forUpdateSkipLocked}`,
        [dialect.time(before), limit],
      );
      let removed = 0;
      for (const part of chunks(rows.map((row) => dialect.readPk(row.id)), 500)) {
        removed += await sql.run(`DELETE FROM logout_notifications WHERE id IN (${marks(part.length)})`, part);
      }
      return removed;
    },

    async backlog() {
      const rows = await sql.rows<{ status: unknown; n: unknown }>(
        "SELECT status, COUNT(*) AS n FROM logout_notifications WHERE status IN ('pending', 'failed', 'dead') GROUP BY status",
      );
      const counts = { pending: 0, failed: 0, dead: 0 };
      for (const row of rows) counts[dialect.readText(row.status) as keyof typeof counts] = Number(row.n);
      return counts;
    },

    async nextDueAt(): Promise<Date | undefined> {
      const [row] = await sql.rows<{ at: unknown }>("SELECT MIN(next_attempt_at) AS at FROM logout_notifications");
      return row?.at === null || row?.at === undefined ? undefined : dialect.readTime(row.at);
    },

    async release(claims: readonly ClaimedNotification[], now: Date): Promise<void> {
      const byToken = new Map<string, ClaimedNotification[]>();
      for (const claim of claims) {
        const group = byToken.get(claim.claimToken) ?? [];
        group.push(claim);
        byToken.set(claim.claimToken, group);
      }
      for (const [claimToken, group] of byToken) {
        for (const part of chunks(group, 500)) {
          await sql.run(
            `UPDATE logout_notifications SET next_attempt_at = ?, claim_token = NULL WHERE claim_token = ? AND id IN (${marks(part.length)})`,
            [dialect.time(now), claimToken, ...part.map((claim) => claim.id)],
          );
        }
      }
    },

    async recordOutcome(claim: ClaimedNotification, outcome: AttemptOutcome): Promise<boolean> {
      const changed = await sql.run(
        `UPDATE logout_notifications SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?, last_error = ?, next_attempt_at = ?, delivered_at = ?, claim_token = NULL WHERE id = ? AND claim_token = ?`,
        [
          outcome.status,
          dialect.time(outcome.at),
          outcome.statusCode ?? null,
          outcome.status === "delivered" ? null : outcome.error.slice(0, 1000),
          outcome.status === "failed" ? dialect.time(outcome.nextAttemptAt) : null,
          outcome.status === "delivered" ? dialect.time(outcome.at) : null,
          claim.id,
          claim.claimToken,
        ],
      );
      return changed === 1;
    },

    async retry(ids: readonly number[], now: Date): Promise<number> {
      let retried = 0;
      for (const part of chunks(ids, 500)) {
        // A failed row whose claim has not run out has an attempt in flight.
        retried += await sql.run(
          `UPDATE logout_notifications SET status = 'pending', attempts = 0, next_attempt_at = ?, claim_token = NULL WHERE id IN (${marks(part.length)}) AND (status = 'dead' OR (status = 'failed' AND (claim_token IS NULL OR next_attempt_at <= ?)))`,
          [dialect.time(now), ...part, dialect.time(now)],
        );
      }
      return retried;
    },
  };
}

// The filter's conditions, with the keyset bound of the cursor; `order` reads
// away from it. Each single filter is served by an index whose rows are in id
// order (status, client, subject, sid); the creation range narrows them.
function selectRows(filter: OutboxFilter, cursor: PageCursor, dialect: Dialect): { where: Conditions; order: "ASC" | "DESC" } {
  const where = conditions()
    .equals("status", filter.status)
    .equals("client_id", filter.clientId)
    .equals("subject_id", filter.subjectId)
    .equals("session_id", filter.sessionId);
  if (filter.createdFrom !== undefined) where.add("created >= ?", dialect.time(filter.createdFrom));
  if (filter.createdTo !== undefined) where.add("created < ?", dialect.time(filter.createdTo));
  return { where, order: keysetBound(where, "id", cursor) };
}

interface ClaimRow {
  trace_context?: unknown;
  id: unknown;
  client_id: unknown;
  subject_id: unknown;
  session_id: unknown;
  issuer: unknown;
  reason: unknown;
  attempts: unknown;
}

interface NotificationRow extends ClaimRow {
  status: unknown;
  next_attempt_at: unknown;
  created: unknown;
  last_attempt_at: unknown;
  last_status_code: unknown;
  last_error: unknown;
  delivered_at: unknown;
}

// What was queued, and how often it was attempted.
function toQueued(row: ClaimRow, dialect: Dialect) {
  return {
    id: dialect.readPk(row.id),
    clientId: dialect.readText(row.client_id),
    subjectId: dialect.readText(row.subject_id),
    sessionId: optionalText(row.session_id, dialect),
    issuer: optionalText(row.issuer, dialect),
    reason: dialect.readText(row.reason) as TerminationReason,
    attempts: Number(row.attempts),
  };
}

// Delivery details appear only once there are some, so a freshly queued row
// reads as what was queued.
function toNotification(row: NotificationRow, dialect: Dialect): OutboxNotification {
  const time = (value: unknown) => (value === null || value === undefined ? undefined : dialect.readTime(value));
  const lastAttemptAt = time(row.last_attempt_at);
  const deliveredAt = time(row.delivered_at);
  const lastError = optionalText(row.last_error, dialect);
  return {
    ...toQueued(row, dialect),
    status: dialect.readText(row.status) as NotificationStatus,
    nextAttemptAt: time(row.next_attempt_at),
    created: dialect.readTime(row.created),
    ...(lastAttemptAt === undefined ? {} : { lastAttemptAt }),
    ...(row.last_status_code === null ? {} : { lastStatusCode: Number(row.last_status_code) }),
    ...(lastError === undefined ? {} : { lastError }),
    ...(deliveredAt === undefined ? {} : { deliveredAt }),
  };
}

function optionalText(value: unknown, dialect: Dialect): string | undefined {
  return value === null || value === undefined ? undefined : dialect.readText(value);
}
