import type { MigrationInterface } from "typeorm";
import { InitialSchemaMysql1764300000000 } from "./mysql-0001-initial-schema.js";
import { ClientLogoutTokenTypeMysql1764350000000 } from "./mysql-0002-client-logout-token-type.js";
import { NotificationDeliveryMysql1764400000000 } from "./mysql-0003-notification-delivery.js";
import { WriteSideMysql1764500000000 } from "./mysql-0004-write-side.js";
import { AuditEventsMysql1764600000000 } from "./mysql-0005-audit-events.js";
import { AuditEventsSqlite1764600000000 } from "./sqlite-0005-audit-events.js";
import { DeliveredRetentionMysql1764700000000 } from "./mysql-0006-delivered-retention.js";
import { DeliveredRetentionSqlite1764700000000 } from "./sqlite-0006-delivered-retention.js";
import { SessionMetadataMysql1764800000000 } from "./mysql-0007-session-metadata.js";
import { SessionMetadataSqlite1764800000000 } from "./sqlite-0007-session-metadata.js";
import { NotificationTraceContextMysql1764900000000 } from "./mysql-0008-notification-trace-context.js";
import { NotificationTraceContextSqlite1764900000000 } from "./sqlite-0008-notification-trace-context.js";
import { InitialSchemaSqlite1764300000000 } from "./sqlite-0001-initial-schema.js";
import { ClientLogoutTokenTypeSqlite1764350000000 } from "./sqlite-0002-client-logout-token-type.js";
import { NotificationDeliverySqlite1764400000000 } from "./sqlite-0003-notification-delivery.js";
import { WriteSideSqlite1764500000000 } from "./sqlite-0004-write-side.js";
import { TerminationJobsMysql1765000000000 } from "./mysql-0009-termination-jobs.js";
import { TerminationJobsSqlite1765000000000 } from "./sqlite-0009-termination-jobs.js";

/** Migrations for MySQL/MariaDB, oldest first. */
export const mysqlMigrations: (new () => MigrationInterface)[] = [
  InitialSchemaMysql1764300000000,
  ClientLogoutTokenTypeMysql1764350000000,
  NotificationDeliveryMysql1764400000000,
  WriteSideMysql1764500000000,
  AuditEventsMysql1764600000000,
  DeliveredRetentionMysql1764700000000,
  SessionMetadataMysql1764800000000,
  NotificationTraceContextMysql1764900000000,
  TerminationJobsMysql1765000000000,
];

/** Migrations for SQLite, oldest first. */
export const sqliteMigrations: (new () => MigrationInterface)[] = [
  InitialSchemaSqlite1764300000000,
  ClientLogoutTokenTypeSqlite1764350000000,
  NotificationDeliverySqlite1764400000000,
  WriteSideSqlite1764500000000,
  AuditEventsSqlite1764600000000,
  DeliveredRetentionSqlite1764700000000,
  SessionMetadataSqlite1764800000000,
  NotificationTraceContextSqlite1764900000000,
  TerminationJobsSqlite1765000000000,
];
