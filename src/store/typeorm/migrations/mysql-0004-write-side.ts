import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What the store services and the sweeper need (MySQL 8 / MariaDB 10.6+):
 *
 * * Grant data becomes bytes (`longblob`): identity providers store whatever
 *   their serializer produces, not necessarily UTF-8 text. Existing text is
 *   kept as its UTF-8 bytes. This rebuilds the table.
 * * `IDX_grants_consumed`, so that the sweeper finds consumed grants past
 *   their retention from an index, as it finds expired ones.
 * * Clients get an insertion-ordered `id` as primary key, so that
 *   ClientRegistry lists them with keyset paging like every other list;
 *   `client_id` stays unique. Existing clients are numbered in client id order.
 */
export class WriteSideMysql1764500000000 implements MigrationInterface {
  name = "WriteSideMysql1764500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE persisted_grants MODIFY data longblob NOT NULL, ADD INDEX IDX_grants_consumed (consumed_time)");
    await q.query(
      "ALTER TABLE clients DROP PRIMARY KEY, ADD id bigint UNSIGNED NOT NULL AUTO_INCREMENT FIRST, ADD PRIMARY KEY (id), ADD UNIQUE INDEX UQ_clients_client_id (client_id)",
    );
  }

  // Grant data that is not valid UTF-8 cannot go back to text: going down
  // fails on it rather than altering it.
  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE clients DROP INDEX UQ_clients_client_id, DROP PRIMARY KEY, DROP COLUMN id, ADD PRIMARY KEY (client_id)");
    await q.query("ALTER TABLE persisted_grants DROP INDEX IDX_grants_consumed, MODIFY data longtext NOT NULL");
  }
}
