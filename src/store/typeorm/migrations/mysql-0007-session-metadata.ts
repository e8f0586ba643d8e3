import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Session metadata and the indexes of the newer QuerySessions filters
 * (MySQL 8 / MariaDB 10.6+).
 *
 * * Where and how a session was started and last used: sign-in and last-seen
 *   IP address and User-Agent, last-seen time, `amr` (a JSON array), `acr`
 *   and the identity provider's attributes (a JSON object). The sign-in
 *   address is also kept as a 16-byte key (IPv4 mapped into IPv6) so that
 *   an address is one key and a CIDR block one key range.
 * * Indexes whose implicit primary-key suffix keeps rows in `id` order:
 *   issuer and the sign-in address key (exact matches page along them), and
 *   created and renewed, which the planner reads as a range when a time
 *   filter matches few sessions. Expiry already has one.
 *
 * The columns are added at the end of the table and are nullable, which
 * MariaDB 10.3+ and MySQL 8 do without rebuilding it; the indexes are built
 * online.
 */
export class SessionMetadataMysql1764800000000 implements MigrationInterface {
  name = "SessionMetadataMysql1764800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE server_side_sessions
      ADD sign_in_ip varchar(45) NULL,
      ADD sign_in_ip_key varbinary(16) NULL,
      ADD sign_in_user_agent varchar(512) NULL,
      ADD last_seen_ip varchar(45) NULL,
      ADD last_seen_user_agent varchar(512) NULL,
      ADD last_seen datetime(3) NULL,
      ADD amr mediumtext NULL,
      ADD acr varchar(200) NULL,
      ADD attributes mediumtext NULL`);
    await q.query(`ALTER TABLE server_side_sessions
      ADD INDEX IDX_sessions_issuer (issuer),
      ADD INDEX IDX_sessions_ip (sign_in_ip_key),
      ADD INDEX IDX_sessions_created (created),
      ADD INDEX IDX_sessions_renewed (renewed)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE server_side_sessions
      DROP INDEX IDX_sessions_issuer, DROP INDEX IDX_sessions_ip, DROP INDEX IDX_sessions_created, DROP INDEX IDX_sessions_renewed,
      DROP COLUMN sign_in_ip, DROP COLUMN sign_in_ip_key, DROP COLUMN sign_in_user_agent, DROP COLUMN last_seen_ip,
      DROP COLUMN last_seen_user_agent, DROP COLUMN last_seen, DROP COLUMN amr, DROP COLUMN acr, DROP COLUMN attributes`);
  }
}
