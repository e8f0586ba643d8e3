import type { MigrationInterface, QueryRunner } from "typeorm";

/** See mysql-0009-termination-jobs.ts. */
export class TerminationJobsSqlite1765000000000 implements MigrationInterface {
  name = "TerminationJobsSqlite1765000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "termination_jobs" (
      "id" varchar(40) PRIMARY KEY NOT NULL,
      "idempotency_key" varchar(800) NOT NULL,
      "definition" text NOT NULL,
      "created_by" varchar(300) NOT NULL,
      "state" varchar(20) NOT NULL,
      "cursor_pk" integer NOT NULL,
      "sessions" integer NOT NULL,
      "tokens" integer NOT NULL,
      "consents" integer NOT NULL,
      "notifications" integer NOT NULL,
      "batches" integer NOT NULL,
      "lease_owner" varchar(100),
      "lease_expires_at" datetime,
      "created" datetime NOT NULL,
      "updated" datetime NOT NULL,
      "ended" datetime,
      "error" varchar(1000),
      "cancelled_by" varchar(300))`);
    await q.query(`CREATE UNIQUE INDEX "UQ_termination_jobs_key" ON "termination_jobs" ("idempotency_key")`);
    await q.query(`CREATE INDEX "IDX_termination_jobs_state" ON "termination_jobs" ("state")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "termination_jobs"`);
  }
}
