import type { MigrationInterface, QueryRunner } from "typeorm";

/** See mysql-0002-client-logout-token-type.ts. */
export class ClientLogoutTokenTypeSqlite1764350000000 implements MigrationInterface {
  name = "ClientLogoutTokenTypeSqlite1764350000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "clients" ADD "logout_token_type" varchar(20)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "clients" DROP COLUMN "logout_token_type"`);
  }
}
