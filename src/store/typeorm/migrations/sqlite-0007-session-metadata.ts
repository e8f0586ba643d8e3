import type { MigrationInterface, QueryRunner } from "typeorm";

const columns: [string, string][] = [
  ["sign_in_ip", "varchar(45)"],
  ["sign_in_ip_key", "blob"],
  ["sign_in_user_agent", "varchar(512)"],
  ["last_seen_ip", "varchar(45)"],
  ["last_seen_user_agent", "varchar(512)"],
  ["last_seen", "datetime"],
  ["amr", "text"],
  ["acr", "varchar(200)"],
  ["attributes", "text"],
];

const indexes: [string, string][] = [
  ["IDX_sessions_issuer", "issuer"],
  ["IDX_sessions_ip", "sign_in_ip_key"],
  ["IDX_sessions_created", "created"],
  ["IDX_sessions_renewed", "renewed"],
];

/** See mysql-0007-session-metadata.ts. SQLite adds nullable columns in place. */
export class SessionMetadataSqlite1764800000000 implements MigrationInterface {
  name = "SessionMetadataSqlite1764800000000";

  async up(q: QueryRunner): Promise<void> {
    for (const [name, type] of columns) await q.query(`ALTER TABLE "server_side_sessions" ADD "${name}" ${type}`);
    for (const [name, column] of indexes) await q.query(`CREATE INDEX "${name}" ON "server_side_sessions" ("${column}")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of indexes) await q.query(`DROP INDEX "${name}"`);
    for (const [name] of columns.reverse()) await q.query(`ALTER TABLE "server_side_sessions" DROP COLUMN "${name}"`);
  }
}
