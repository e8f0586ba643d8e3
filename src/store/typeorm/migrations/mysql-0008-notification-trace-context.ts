import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Each queued logout notification keeps the W3C trace context (traceparent)
 * of the call that queued it, so that its delivery, by any instance and
 * however much later, is linked to that call's trace. Null when tracing was
 * off or the row was queued outside a call (the sweeper).
 */
export class NotificationTraceContextMysql1764900000000 implements MigrationInterface {
  name = "NotificationTraceContextMysql1764900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE logout_notifications ADD COLUMN trace_context varchar(55) NULL");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE logout_notifications DROP COLUMN trace_context");
  }
}
