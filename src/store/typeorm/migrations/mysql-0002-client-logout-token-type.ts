import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Relying parties differ in the `typ` header they accept on logout tokens
 * (`logout+jwt`, `JWT`, or none): each client records its choice. NULL means
 * the default, `logout+jwt`.
 */
export class ClientLogoutTokenTypeMysql1764350000000 implements MigrationInterface {
  name = "ClientLogoutTokenTypeMysql1764350000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE clients ADD logout_token_type varchar(20) NULL");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE clients DROP COLUMN logout_token_type");
  }
}
