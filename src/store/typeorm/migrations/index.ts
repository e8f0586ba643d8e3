import type { MigrationInterface } from "typeorm";
import { InitialSchemaMysql1764300000000 } from "./mysql-0001-initial-schema.js";
import { ClientLogoutTokenTypeMysql1764350000000 } from "./mysql-0002-client-logout-token-type.js";
import { InitialSchemaSqlite1764300000000 } from "./sqlite-0001-initial-schema.js";
import { ClientLogoutTokenTypeSqlite1764350000000 } from "./sqlite-0002-client-logout-token-type.js";

/** Migrations for MySQL/MariaDB, oldest first. */
export const mysqlMigrations: (new () => MigrationInterface)[] = [
  InitialSchemaMysql1764300000000,
  ClientLogoutTokenTypeMysql1764350000000,
];

/** Migrations for SQLite, oldest first. */
export const sqliteMigrations: (new () => MigrationInterface)[] = [
  InitialSchemaSqlite1764300000000,
  ClientLogoutTokenTypeSqlite1764350000000,
];
