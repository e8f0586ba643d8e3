import type { AuditEvent, AuditFilter, AuditLog } from "../audit-log.js";
import type { PageCursor } from "../page-cursor.js";
import type { Dialect } from "./dialect.js";
import { conditions } from "./sql-conditions.js";
import type { SqlExecutor } from "./sql-executor.js";

const columns = ["at", "principal_id", "method", "request_json", "code", "outcome_json"];

/** The audit trail in the audit_events table. */
export function createAuditLog(sql: SqlExecutor, dialect: Dialect): AuditLog {
  const select = (filter: AuditFilter, cursor: PageCursor) => {
    const where = conditions()
      .equals("principal_id", filter.principalId)
      .equals("method", filter.method);
    if (filter.from !== undefined) where.add("at >= ?", dialect.time(filter.from));
    if (filter.to !== undefined) where.add("at < ?", dialect.time(filter.to));
    if (cursor.direction === "backward") where.add("id < ?", cursor.beforePk);
    else if (cursor.afterPk !== undefined) where.add("id > ?", cursor.afterPk);
    return { where, order: cursor.direction === "backward" ? "DESC" : "ASC" };
  };
  return {
    async record(event) {
      await sql.run(`INSERT INTO audit_events (${columns.join(", ")}) VALUES (?, ?, ?, ?, ?, ?)`, [
        dialect.time(event.at),
        event.principalId,
        event.method,
        event.requestJson,
        event.code,
        event.outcomeJson ?? null,
      ]);
    },
    async findPage(filter, cursor, limit) {
      const { where, order } = select(filter, cursor);
      const rows = await sql.rows<Record<string, unknown>>(
        `SELECT id, ${columns.join(", ")} FROM audit_events${where.whereSql()} ORDER BY id ${order} LIMIT ?`,
        [...where.params, limit],
      );
      return rows.map(
        (row): AuditEvent => ({
          pk: dialect.readPk(row.id),
          at: dialect.readTime(row.at),
          principalId: dialect.readText(row.principal_id),
          method: dialect.readText(row.method),
          requestJson: dialect.readText(row.request_json),
          code: dialect.readText(row.code),
          outcomeJson: row.outcome_json === null ? undefined : dialect.readText(row.outcome_json),
        }),
      );
    },
    async existsBeyond(filter, cursor) {
      const { where } = select(filter, cursor);
      return (await sql.rows(`SELECT 1 AS found FROM audit_events${where.whereSql()} LIMIT 1`, where.params)).length > 0;
    },
  };
}
