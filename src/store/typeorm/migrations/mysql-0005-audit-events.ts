import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The audit trail: one row per state-changing call, append-only. Read back
 * by id (time order), by caller and by method.
 */
export class AuditEventsMysql1764600000000 implements MigrationInterface {
  name = "AuditEventsMysql1764600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE audit_events (
      id bigint UNSIGNED NOT NULL AUTO_INCREMENT,
      at datetime(3) NOT NULL,
      principal_id varchar(300) NOT NULL,
      method varchar(200) NOT NULL,
      request_json mediumtext NOT NULL,
      code varchar(40) NOT NULL,
      outcome_json mediumtext NULL,
      PRIMARY KEY (id),
      INDEX IDX_audit_at (at),
      INDEX IDX_audit_principal (principal_id),
      INDEX IDX_audit_method (method)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE audit_events");
  }
}
