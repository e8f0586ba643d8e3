import type { MigrationInterface, QueryRunner } from "typeorm";

const grantColumns = `"id", "grant_key", "grant_type", "subject_id", "session_id", "client_id", "description", "creation_time", "expiration", "consumed_time"`;
const clientColumns = `"client_id", "enabled", "backchannel_logout_uri", "backchannel_logout_session_required", "created", "updated", "logout_token_type"`;

/**
 * See mysql-0004-write-side.ts. SQLite cannot change a column's type or a
 * table's primary key in place, so both tables are rebuilt: created anew,
 * filled from the old one, which is then dropped and replaced. The grants'
 * AUTOINCREMENT counter is carried over, so that ids are never reused.
 */
export class WriteSideSqlite1764500000000 implements MigrationInterface {
  name = "WriteSideSqlite1764500000000";

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      ...rebuildGrants("blob", `CAST("data" AS BLOB)`),
      `CREATE INDEX "IDX_grants_consumed" ON "persisted_grants" ("consumed_time")`,
      `CREATE TABLE "clients_0004" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "client_id" varchar(800) NOT NULL,
        "enabled" boolean NOT NULL DEFAULT (1),
        "backchannel_logout_uri" varchar(2000),
        "backchannel_logout_session_required" boolean NOT NULL DEFAULT (1),
        "created" datetime NOT NULL,
        "updated" datetime NOT NULL,
        "logout_token_type" varchar(20))`,
      `INSERT INTO "clients_0004" (${clientColumns}) SELECT ${clientColumns} FROM "clients" ORDER BY "client_id"`,
      `DROP TABLE "clients"`,
      `ALTER TABLE "clients_0004" RENAME TO "clients"`,
      `CREATE UNIQUE INDEX "UQ_clients_client_id" ON "clients" ("client_id")`,
    ];
    for (const statement of statements) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "clients_0004" (
        "client_id" varchar(800) PRIMARY KEY NOT NULL,
        "enabled" boolean NOT NULL DEFAULT (1),
        "backchannel_logout_uri" varchar(2000),
        "backchannel_logout_session_required" boolean NOT NULL DEFAULT (1),
        "created" datetime NOT NULL,
        "updated" datetime NOT NULL,
        "logout_token_type" varchar(20))`,
      `INSERT INTO "clients_0004" (${clientColumns}) SELECT ${clientColumns} FROM "clients"`,
      `DROP TABLE "clients"`,
      `ALTER TABLE "clients_0004" RENAME TO "clients"`,
      ...rebuildGrants("text", `CAST("data" AS TEXT)`),
    ];
    for (const statement of statements) await q.query(statement);
  }
}

// persisted_grants as in 0001, with `data` of the given type, and its indexes.
function rebuildGrants(dataType: "blob" | "text", data: string): string[] {
  return [
    `CREATE TABLE "persisted_grants_0004" (
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
      "data" ${dataType} NOT NULL)`,
    `INSERT INTO "persisted_grants_0004" (${grantColumns}, "data") SELECT ${grantColumns}, ${data} FROM "persisted_grants"`,
    `DELETE FROM "sqlite_sequence" WHERE "name" = 'persisted_grants_0004'`,
    `INSERT INTO "sqlite_sequence" ("name", "seq") SELECT 'persisted_grants_0004', "seq" FROM "sqlite_sequence" WHERE "name" = 'persisted_grants'`,
    `DROP TABLE "persisted_grants"`,
    `ALTER TABLE "persisted_grants_0004" RENAME TO "persisted_grants"`,
    `CREATE UNIQUE INDEX "UQ_grants_key" ON "persisted_grants" ("grant_key")`,
    `CREATE INDEX "IDX_grants_subject" ON "persisted_grants" ("subject_id", "client_id", "grant_type", "session_id")`,
    `CREATE INDEX "IDX_grants_session" ON "persisted_grants" ("session_id", "client_id", "grant_type")`,
    `CREATE INDEX "IDX_grants_expiration" ON "persisted_grants" ("expiration")`,
  ];
}
