import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The initial schema on SQLite, the embedded default. Same tables and indexes
 * as on MySQL (see mysql-0001-initial-schema.ts); identifiers are TEXT with
 * SQLite's default binary collation, so they compare byte for byte.
 */
export class InitialSchemaSqlite1764300000000 implements MigrationInterface {
  name = "InitialSchemaSqlite1764300000000";

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "server_side_sessions" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "session_key" varchar(800) NOT NULL,
        "scheme" varchar(100) NOT NULL,
        "subject_id" varchar(800) NOT NULL,
        "session_id" varchar(800),
        "display_name" varchar(200),
        "display_name_key" varchar(1024),
        "issuer" varchar(500),
        "created" datetime NOT NULL,
        "renewed" datetime NOT NULL,
        "expires" datetime,
        "ticket" blob NOT NULL)`,
      `CREATE UNIQUE INDEX "UQ_sessions_key" ON "server_side_sessions" ("session_key")`,
      `CREATE INDEX "IDX_sessions_subject" ON "server_side_sessions" ("subject_id")`,
      `CREATE INDEX "IDX_sessions_sid" ON "server_side_sessions" ("session_id")`,
      `CREATE INDEX "IDX_sessions_display_name" ON "server_side_sessions" ("display_name_key")`,
      `CREATE INDEX "IDX_sessions_expires" ON "server_side_sessions" ("expires")`,
      `CREATE TABLE "session_clients" (
        "session_pk" integer NOT NULL,
        "client_id" varchar(800) NOT NULL,
        PRIMARY KEY ("session_pk", "client_id"))`,
      `CREATE INDEX "IDX_session_clients_client" ON "session_clients" ("client_id", "session_pk")`,
      `CREATE TABLE "persisted_grants" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "grant_key" varchar(800) NOT NULL,
        "grant_type" varchar(50) NOT NULL,
        "subject_id" varchar(800),
        "session_id" varchar(800),
        "client_id" varchar(800) NOT NULL,
        "description" varchar(200),
        "creation_time" datetime NOT NULL,
        "expiration" datetime,
        "consumed_time" datetime,
        "data" text NOT NULL)`,
      `CREATE UNIQUE INDEX "UQ_grants_key" ON "persisted_grants" ("grant_key")`,
      `CREATE INDEX "IDX_grants_subject" ON "persisted_grants" ("subject_id", "client_id", "grant_type", "session_id")`,
      `CREATE INDEX "IDX_grants_session" ON "persisted_grants" ("session_id", "client_id", "grant_type")`,
      `CREATE INDEX "IDX_grants_expiration" ON "persisted_grants" ("expiration")`,
      `CREATE TABLE "clients" (
        "client_id" varchar(800) PRIMARY KEY NOT NULL,
        "enabled" boolean NOT NULL DEFAULT (1),
        "backchannel_logout_uri" varchar(2000),
        "backchannel_logout_session_required" boolean NOT NULL DEFAULT (1),
        "created" datetime NOT NULL,
        "updated" datetime NOT NULL)`,
      `CREATE TABLE "logout_notifications" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "client_id" varchar(800) NOT NULL,
        "subject_id" varchar(800) NOT NULL,
        "session_id" varchar(800),
        "issuer" varchar(500),
        "reason" varchar(20) NOT NULL,
        "status" varchar(20) NOT NULL,
        "attempts" integer NOT NULL DEFAULT (0),
        "next_attempt_at" datetime NOT NULL,
        "last_attempt_at" datetime,
        "last_status_code" integer,
        "last_error" varchar(1000),
        "created" datetime NOT NULL,
        "delivered_at" datetime)`,
      `CREATE INDEX "IDX_notifications_due" ON "logout_notifications" ("status", "next_attempt_at")`,
      `CREATE INDEX "IDX_notifications_client" ON "logout_notifications" ("client_id")`,
      `CREATE INDEX "IDX_notifications_subject" ON "logout_notifications" ("subject_id")`,
      `CREATE INDEX "IDX_notifications_sid" ON "logout_notifications" ("session_id")`,
      `CREATE TABLE "service_secrets" (
        "name" varchar(100) PRIMARY KEY NOT NULL,
        "value" blob NOT NULL,
        "created" datetime NOT NULL)`,
    ];
    for (const statement of statements) await q.query(statement);
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
      await q.query(`DROP TABLE "${name}"`);
    }
  }
}
