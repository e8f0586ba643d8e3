import type { MigrationInterface, QueryRunner } from "typeorm";

const table = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

/**
 * The initial schema on MySQL 8 / MariaDB 10.6+.
 *
 * Keyset paging walks `id` (insertion order). Each QuerySessions filter has
 * an index whose implicit primary-key suffix keeps its rows in `id` order:
 * subject, sid, the folded display-name key (prefix ranges), and
 * session_clients(client_id, session_pk) for the client filter. Revocation by
 * subject or session, optionally by client and type, is index-only on the
 * two persisted_grants indexes. Identifiers are VARBINARY so that they
 * compare byte for byte (no case folding, no trailing-space padding).
 */
export class InitialSchemaMysql1764300000000 implements MigrationInterface {
  name = "InitialSchemaMysql1764300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE server_side_sessions (
      id bigint UNSIGNED NOT NULL AUTO_INCREMENT,
      session_key varbinary(800) NOT NULL,
      scheme varchar(100) NOT NULL,
      subject_id varbinary(800) NOT NULL,
      session_id varbinary(800) NULL,
      display_name varchar(200) NULL,
      display_name_key varbinary(1024) NULL,
      issuer varchar(500) NULL,
      created datetime(3) NOT NULL,
      renewed datetime(3) NOT NULL,
      expires datetime(3) NULL,
      ticket longblob NOT NULL,
      PRIMARY KEY (id),
      UNIQUE INDEX UQ_sessions_key (session_key),
      INDEX IDX_sessions_subject (subject_id),
      INDEX IDX_sessions_sid (session_id),
      INDEX IDX_sessions_display_name (display_name_key),
      INDEX IDX_sessions_expires (expires)
    ) ${table}`);
    await q.query(`CREATE TABLE session_clients (
      session_pk bigint UNSIGNED NOT NULL,
      client_id varbinary(800) NOT NULL,
      PRIMARY KEY (session_pk, client_id),
      INDEX IDX_session_clients_client (client_id, session_pk)
    ) ${table}`);
    await q.query(`CREATE TABLE persisted_grants (
      id bigint UNSIGNED NOT NULL AUTO_INCREMENT,
      grant_key varbinary(800) NOT NULL,
      grant_type varchar(50) NOT NULL,
      subject_id varbinary(800) NULL,
      session_id varbinary(800) NULL,
      client_id varbinary(800) NOT NULL,
      description varchar(200) NULL,
      creation_time datetime(3) NOT NULL,
      expiration datetime(3) NULL,
      consumed_time datetime(3) NULL,
      data longtext NOT NULL,
      PRIMARY KEY (id),
      UNIQUE INDEX UQ_grants_key (grant_key),
      INDEX IDX_grants_subject (subject_id, client_id, grant_type, session_id),
      INDEX IDX_grants_session (session_id, client_id, grant_type),
      INDEX IDX_grants_expiration (expiration)
    ) ${table}`);
    await q.query(`CREATE TABLE clients (
      client_id varbinary(800) NOT NULL,
      enabled tinyint NOT NULL DEFAULT 1,
      backchannel_logout_uri varchar(2000) NULL,
      backchannel_logout_session_required tinyint NOT NULL DEFAULT 1,
      created datetime(3) NOT NULL,
      updated datetime(3) NOT NULL,
      PRIMARY KEY (client_id)
    ) ${table}`);
    await q.query(`CREATE TABLE logout_notifications (
      id bigint UNSIGNED NOT NULL AUTO_INCREMENT,
      client_id varbinary(800) NOT NULL,
      subject_id varbinary(800) NOT NULL,
      session_id varbinary(800) NULL,
      issuer varchar(500) NULL,
      reason varchar(20) NOT NULL,
      status varchar(20) NOT NULL,
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at datetime(3) NOT NULL,
      last_attempt_at datetime(3) NULL,
      last_status_code int NULL,
      last_error varchar(1000) NULL,
      created datetime(3) NOT NULL,
      delivered_at datetime(3) NULL,
      PRIMARY KEY (id),
      INDEX IDX_notifications_due (status, next_attempt_at),
      INDEX IDX_notifications_client (client_id),
      INDEX IDX_notifications_subject (subject_id),
      INDEX IDX_notifications_sid (session_id)
    ) ${table}`);
    await q.query(`CREATE TABLE service_secrets (
      name varchar(100) NOT NULL,
      value longblob NOT NULL,
      created datetime(3) NOT NULL,
      PRIMARY KEY (name)
    ) ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      "service_secrets",
      "logout_notifications",
      "clients",
      "persisted_grants",
      "session_clients",
      "server_side_sessions",
    ]) {
      await q.query(`DROP TABLE ${name}`);
    }
  }
}
