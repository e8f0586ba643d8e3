import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Durable bulk termination jobs: the definition (filter, actions, bounds) as
 * JSON, where the walk stands (the last session pk it passed), what it has
 * done, and who runs it until when (a lease taken and renewed by conditional
 * updates, which certify on a multi-primary cluster where row locks do not).
 * An idempotency key maps a retried start to the same job.
 */
export class TerminationJobsMysql1765000000000 implements MigrationInterface {
  name = "TerminationJobsMysql1765000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE termination_jobs (
      id varchar(40) NOT NULL,
      idempotency_key varbinary(800) NOT NULL,
      definition mediumtext NOT NULL,
      created_by varchar(300) NOT NULL,
      state varchar(20) NOT NULL,
      cursor_pk bigint UNSIGNED NOT NULL,
      sessions bigint UNSIGNED NOT NULL,
      tokens bigint UNSIGNED NOT NULL,
      consents bigint UNSIGNED NOT NULL,
      notifications bigint UNSIGNED NOT NULL,
      batches bigint UNSIGNED NOT NULL,
      lease_owner varchar(100) NULL,
      lease_expires_at datetime(3) NULL,
      created datetime(3) NOT NULL,
      updated datetime(3) NOT NULL,
      ended datetime(3) NULL,
      error varchar(1000) NULL,
      cancelled_by varchar(300) NULL,
      PRIMARY KEY (id),
      UNIQUE INDEX UQ_termination_jobs_key (idempotency_key),
      INDEX IDX_termination_jobs_state (state)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE termination_jobs");
  }
}
