import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What the notifier needs to deliver outbox rows from several instances.
 *
 * `next_attempt_at` becomes NULL once a row is final (delivered or dead), so
 * that the due rows are exactly the range `next_attempt_at <= now` of one
 * index, read in the order they fell due, whatever their status. A claimed
 * row's `next_attempt_at` is its lease: the row is not due again until the
 * lease runs out, which is how the rows of an instance that died mid-delivery
 * come back. `claim_token` identifies the claim, so that an instance whose
 * lease ran out cannot overwrite the outcome of the one that took over.
 * Listing by status pages on `id` through its own index.
 */
export class NotificationDeliveryMysql1764400000000 implements MigrationInterface {
  name = "NotificationDeliveryMysql1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE logout_notifications
      MODIFY next_attempt_at datetime(3) NULL,
      ADD claim_token varchar(32) NULL,
      DROP INDEX IDX_notifications_due,
      ADD INDEX IDX_notifications_due (next_attempt_at),
      ADD INDEX IDX_notifications_status (status)`);
    await q.query("UPDATE logout_notifications SET next_attempt_at = NULL WHERE status IN ('delivered', 'dead')");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("UPDATE logout_notifications SET next_attempt_at = COALESCE(last_attempt_at, created) WHERE next_attempt_at IS NULL");
    await q.query(`ALTER TABLE logout_notifications
      DROP INDEX IDX_notifications_status,
      DROP INDEX IDX_notifications_due,
      ADD INDEX IDX_notifications_due (status, next_attempt_at),
      DROP COLUMN claim_token,
      MODIFY next_attempt_at datetime(3) NOT NULL`);
  }
}
