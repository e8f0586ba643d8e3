import type { MigrationInterface, QueryRunner } from "typeorm";

/** See mysql-0008-notification-trace-context.ts. */
export class NotificationTraceContextSqlite1764900000000 implements MigrationInterface {
  name = "NotificationTraceContextSqlite1764900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "logout_notifications" ADD COLUMN "trace_context" varchar(55)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "logout_notifications" DROP COLUMN "trace_context"`);
  }
}
