import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Delivered notifications are removed by the sweeper once they are older
 * than the retention period: an index on delivered_at makes that one range.
 */
export class DeliveredRetentionMysql1764700000000 implements MigrationInterface {
  name = "DeliveredRetentionMysql1764700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE logout_notifications ADD INDEX IDX_notifications_delivered (delivered_at)");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE logout_notifications DROP INDEX IDX_notifications_delivered");
  }
}
