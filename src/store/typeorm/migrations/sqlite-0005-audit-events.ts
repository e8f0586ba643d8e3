import type { MigrationInterface, QueryRunner } from "typeorm";

/** See mysql-0005-audit-events.ts. */
export class AuditEventsSqlite1764600000000 implements MigrationInterface {
  name = "AuditEventsSqlite1764600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "audit_events" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "at" datetime NOT NULL,
      "principal_id" varchar(300) NOT NULL,
      "method" varchar(200) NOT NULL,
      "request_json" text NOT NULL,
      "code" varchar(40) NOT NULL,
      "outcome_json" text)`);
    await q.query(`CREATE INDEX "IDX_audit_at" ON "audit_events" ("at")`);
    await q.query(`CREATE INDEX "IDX_audit_principal" ON "audit_events" ("principal_id")`);
    await q.query(`CREATE INDEX "IDX_audit_method" ON "audit_events" ("method")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_events"`);
  }
}
