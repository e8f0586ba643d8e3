import type { MigrationInterface, QueryRunner } from "typeorm";

/** See mysql-0006-delivered-retention.ts. */
export class DeliveredRetentionSqlite1764700000000 implements MigrationInterface {
  name = "DeliveredRetentionSqlite1764700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_notifications_delivered" ON "logout_notifications" ("delivered_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_notifications_delivered"`);
  }
}
