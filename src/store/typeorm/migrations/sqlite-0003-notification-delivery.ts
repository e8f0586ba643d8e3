import type { MigrationInterface, QueryRunner } from "typeorm";

const columns =
  '"id", "client_id", "subject_id", "session_id", "issuer", "reason", "status", "attempts", "next_attempt_at", "last_attempt_at", "last_status_code", "last_error", "created", "delivered_at"';

/**
 * See mysql-0003-notification-delivery.ts. SQLite cannot change a column's
 * nullability in place, so the table is rebuilt (as SQLite documents for
 * ALTER TABLE), keeping every row and the AUTOINCREMENT sequence.
 */
export class NotificationDeliverySqlite1764400000000 implements MigrationInterface {
  name = "NotificationDeliverySqlite1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await rebuild(q, {
      nextAttemptAt: '"next_attempt_at" datetime',
      claimToken: ', "claim_token" varchar(32)',
      indexes: [
        `CREATE INDEX "IDX_notifications_due" ON "logout_notifications" ("next_attempt_at")`,
        `CREATE INDEX "IDX_notifications_status" ON "logout_notifications" ("status")`,
      ],
    });
    await q.query(`UPDATE "logout_notifications" SET "next_attempt_at" = NULL WHERE "status" IN ('delivered', 'dead')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "logout_notifications" SET "next_attempt_at" = COALESCE("last_attempt_at", "created") WHERE "next_attempt_at" IS NULL`,
    );
    await rebuild(q, {
      nextAttemptAt: '"next_attempt_at" datetime NOT NULL',
      claimToken: "",
      indexes: [`CREATE INDEX "IDX_notifications_due" ON "logout_notifications" ("status", "next_attempt_at")`],
    });
  }
}

async function rebuild(q: QueryRunner, shape: { nextAttemptAt: string; claimToken: string; indexes: string[] }): Promise<void> {
  await q.query(`CREATE TABLE "temporary_logout_notifications" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "client_id" varchar(800) NOT NULL,
    "subject_id" varchar(800) NOT NULL,
    "session_id" varchar(800),
    "issuer" varchar(500),
    "reason" varchar(20) NOT NULL,
    "status" varchar(20) NOT NULL,
    "attempts" integer NOT NULL DEFAULT (0),
    ${shape.nextAttemptAt},
    "last_attempt_at" datetime,
    "last_status_code" integer,
    "last_error" varchar(1000),
    "created" datetime NOT NULL,
    "delivered_at" datetime${shape.claimToken})`);
  await q.query(`INSERT INTO "temporary_logout_notifications" (${columns}) SELECT ${columns} FROM "logout_notifications"`);
  // Ids must never be reused, even those of rows deleted before the rebuild:
  // the new table continues the old table's sequence.
  await q.query(`UPDATE "sqlite_sequence" SET "seq" = (SELECT MAX("seq") FROM "sqlite_sequence" WHERE "name" IN ('logout_notifications', 'temporary_logout_notifications')) WHERE "name" = 'temporary_logout_notifications'`);
  await q.query(`INSERT INTO "sqlite_sequence" ("name", "seq") SELECT 'temporary_logout_notifications', "seq" FROM "sqlite_sequence" WHERE "name" = 'logout_notifications' AND NOT EXISTS (SELECT 1 FROM "sqlite_sequence" WHERE "name" = 'temporary_logout_notifications')`);
  await q.query(`DROP TABLE "logout_notifications"`);
  await q.query(`ALTER TABLE "temporary_logout_notifications" RENAME TO "logout_notifications"`);
  for (const index of [
    ...shape.indexes,
    `CREATE INDEX "IDX_notifications_client" ON "logout_notifications" ("client_id")`,
    `CREATE INDEX "IDX_notifications_subject" ON "logout_notifications" ("subject_id")`,
    `CREATE INDEX "IDX_notifications_sid" ON "logout_notifications" ("session_id")`,
  ]) {
    await q.query(index);
  }
}
