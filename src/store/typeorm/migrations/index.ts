import type { MigrationInterface } from "typeorm";
import { InitialSchemaMysql1764300000000 } from "./mysql-0001-initial-schema.js";
import { InitialSchemaSqlite1764300000000 } from "./sqlite-0001-initial-schema.js";

/** Migrations for MySQL/MariaDB, oldest first. */
export const mysqlMigrations: (new () => MigrationInterface)[] = [InitialSchemaMysql1764300000000];
/** Migrations for SQLite, oldest first. */
export const sqliteMigrations: (new () => MigrationInterface)[] = [InitialSchemaSqlite1764300000000];
