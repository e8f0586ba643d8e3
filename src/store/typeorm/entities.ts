import { EntitySchema, type EntitySchemaColumnOptions } from "typeorm";

/**
 * The schema as TypeORM entities. The migrations create exactly this (a test
 * checks that TypeORM finds nothing to change after them); identifier columns
 * compare byte for byte on both engines: VARBINARY on MySQL (no trailing-space
 * padding, no case folding), TEXT with binary collation on SQLite.
 */
export function createEntities(kind: "mysql" | "sqlite"): EntitySchema[] {
  const t = columnTypes(kind);
  return [
    new EntitySchema({
      name: "ServerSideSession",
      tableName: "server_side_sessions",
      columns: {
        id: { ...t.pk, primary: true, generated: "increment" },
        sessionKey: { ...t.identifier, name: "session_key" },
        scheme: { type: "varchar", length: 100 },
        subjectId: { ...t.identifier, name: "subject_id" },
        sessionId: { ...t.identifier, name: "session_id", nullable: true },
        displayName: { type: "varchar", length: 200, name: "display_name", nullable: true },
        displayNameKey: { ...t.displayNameKey, name: "display_name_key", nullable: true },
        issuer: { type: "varchar", length: 500, nullable: true },
        created: t.time,
        renewed: t.time,
        expires: { ...t.time, nullable: true },
        ticket: t.blob,
        signInIp: { type: "varchar", length: 45, name: "sign_in_ip", nullable: true },
        signInIpKey: { ...t.ipKey, name: "sign_in_ip_key", nullable: true },
        signInUserAgent: { type: "varchar", length: 512, name: "sign_in_user_agent", nullable: true },
        lastSeenIp: { type: "varchar", length: 45, name: "last_seen_ip", nullable: true },
        lastSeenUserAgent: { type: "varchar", length: 512, name: "last_seen_user_agent", nullable: true },
        lastSeen: { ...t.time, name: "last_seen", nullable: true },
        amr: { ...t.longText, nullable: true },
        acr: { type: "varchar", length: 200, nullable: true },
        attributes: { ...t.longText, nullable: true },
      },
      indices: [
        { name: "UQ_sessions_key", columns: ["sessionKey"], unique: true },
        { name: "IDX_sessions_subject", columns: ["subjectId"] },
        { name: "IDX_sessions_sid", columns: ["sessionId"] },
        { name: "IDX_sessions_display_name", columns: ["displayNameKey"] },
        { name: "IDX_sessions_expires", columns: ["expires"] },
        { name: "IDX_sessions_issuer", columns: ["issuer"] },
        { name: "IDX_sessions_ip", columns: ["signInIpKey"] },
        { name: "IDX_sessions_created", columns: ["created"] },
        { name: "IDX_sessions_renewed", columns: ["renewed"] },
      ],
    }),
    new EntitySchema({
      name: "SessionClient",
      tableName: "session_clients",
      columns: {
        sessionPk: { ...t.fk, name: "session_pk", primary: true },
        clientId: { ...t.identifier, name: "client_id", primary: true },
      },
      indices: [{ name: "IDX_session_clients_client", columns: ["clientId", "sessionPk"] }],
    }),
    new EntitySchema({
      name: "PersistedGrant",
      tableName: "persisted_grants",
      columns: {
        id: { ...t.pk, primary: true, generated: "increment" },
        grantKey: { ...t.identifier, name: "grant_key" },
        grantType: { type: "varchar", length: 50, name: "grant_type" },
        subjectId: { ...t.identifier, name: "subject_id", nullable: true },
        sessionId: { ...t.identifier, name: "session_id", nullable: true },
        clientId: { ...t.identifier, name: "client_id" },
        description: { type: "varchar", length: 200, nullable: true },
        creationTime: { ...t.time, name: "creation_time" },
        expiration: { ...t.time, nullable: true },
        consumedTime: { ...t.time, name: "consumed_time", nullable: true },
        data: t.blob,
      },
      indices: [
        { name: "UQ_grants_key", columns: ["grantKey"], unique: true },
        { name: "IDX_grants_subject", columns: ["subjectId", "clientId", "grantType", "sessionId"] },
        { name: "IDX_grants_session", columns: ["sessionId", "clientId", "grantType"] },
        { name: "IDX_grants_expiration", columns: ["expiration"] },
        { name: "IDX_grants_consumed", columns: ["consumedTime"] },
      ],
    }),
    new EntitySchema({
      name: "Client",
      tableName: "clients",
      columns: {
        id: { ...t.pk, primary: true, generated: "increment" },
        clientId: { ...t.identifier, name: "client_id" },
        enabled: { type: "boolean", default: true },
        backchannelLogoutUri: { type: "varchar", length: 2000, name: "backchannel_logout_uri", nullable: true },
        backchannelLogoutSessionRequired: {
          type: "boolean",
          name: "backchannel_logout_session_required",
          default: true,
        },
        logoutTokenType: { type: "varchar", length: 20, name: "logout_token_type", nullable: true },
        created: t.time,
        updated: t.time,
      },
      indices: [{ name: "UQ_clients_client_id", columns: ["clientId"], unique: true }],
    }),
    new EntitySchema({
      name: "LogoutNotification",
      tableName: "logout_notifications",
      columns: {
        id: { ...t.pk, primary: true, generated: "increment" },
        clientId: { ...t.identifier, name: "client_id" },
        subjectId: { ...t.identifier, name: "subject_id" },
        sessionId: { ...t.identifier, name: "session_id", nullable: true },
        issuer: { type: "varchar", length: 500, nullable: true },
        reason: { type: "varchar", length: 20 },
        status: { type: "varchar", length: 20 },
        attempts: { type: "int", default: 0 },
        nextAttemptAt: { ...t.time, name: "next_attempt_at", nullable: true },
        lastAttemptAt: { ...t.time, name: "last_attempt_at", nullable: true },
        lastStatusCode: { type: "int", name: "last_status_code", nullable: true },
        lastError: { type: "varchar", length: 1000, name: "last_error", nullable: true },
        created: t.time,
        deliveredAt: { ...t.time, name: "delivered_at", nullable: true },
        claimToken: { type: "varchar", length: 32, name: "claim_token", nullable: true },
        traceContext: { type: "varchar", length: 55, name: "trace_context", nullable: true },
      },
      indices: [
        { name: "IDX_notifications_due", columns: ["nextAttemptAt"] },
        { name: "IDX_notifications_status", columns: ["status"] },
        { name: "IDX_notifications_client", columns: ["clientId"] },
        { name: "IDX_notifications_subject", columns: ["subjectId"] },
        { name: "IDX_notifications_sid", columns: ["sessionId"] },
        { name: "IDX_notifications_delivered", columns: ["deliveredAt"] },
      ],
    }),
    new EntitySchema({
      name: "AuditEvent",
      tableName: "audit_events",
      columns: {
        id: { ...t.pk, primary: true, generated: "increment" },
        at: t.time,
        principalId: { type: "varchar", length: 300, name: "principal_id" },
        method: { type: "varchar", length: 200 },
        requestJson: { ...t.longText, name: "request_json" },
        code: { type: "varchar", length: 40 },
        outcomeJson: { ...t.longText, name: "outcome_json", nullable: true },
      },
      indices: [
        { name: "IDX_audit_at", columns: ["at"] },
        { name: "IDX_audit_principal", columns: ["principalId"] },
        { name: "IDX_audit_method", columns: ["method"] },
      ],
    }),
    new EntitySchema({
      name: "TerminationJob",
      tableName: "termination_jobs",
      columns: {
        id: { type: "varchar", length: 40, primary: true },
        idempotencyKey: { ...t.identifier, name: "idempotency_key" },
        definition: t.longText,
        createdBy: { type: "varchar", length: 300, name: "created_by" },
        state: { type: "varchar", length: 20 },
        cursorPk: { ...t.fk, name: "cursor_pk" },
        sessions: t.fk,
        tokens: t.fk,
        consents: t.fk,
        notifications: t.fk,
        batches: t.fk,
        leaseOwner: { type: "varchar", length: 100, name: "lease_owner", nullable: true },
        leaseExpiresAt: { ...t.time, name: "lease_expires_at", nullable: true },
        created: t.time,
        updated: t.time,
        ended: { ...t.time, nullable: true },
        error: { type: "varchar", length: 1000, nullable: true },
        cancelledBy: { type: "varchar", length: 300, name: "cancelled_by", nullable: true },
      },
      indices: [
        { name: "UQ_termination_jobs_key", columns: ["idempotencyKey"], unique: true },
        { name: "IDX_termination_jobs_state", columns: ["state"] },
      ],
    }),
    new EntitySchema({
      name: "ServiceSecret",
      tableName: "service_secrets",
      columns: {
        name: { type: "varchar", length: 100, primary: true },
        value: t.blob,
        created: t.time,
      },
    }),
  ];
}

function columnTypes(kind: "mysql" | "sqlite") {
  const c = (options: EntitySchemaColumnOptions) => options;
  if (kind === "mysql") {
    return {
      pk: c({ type: "bigint", unsigned: true }),
      fk: c({ type: "bigint", unsigned: true }),
      identifier: c({ type: "varbinary", length: 800 }),
      displayNameKey: c({ type: "varbinary", length: 1024 }),
      ipKey: c({ type: "varbinary", length: 16 }),
      time: c({ type: "datetime", precision: 3 }),
      blob: c({ type: "longblob" }),
      longText: c({ type: "mediumtext" }),
    };
  }
  return {
    pk: c({ type: "integer" }),
    fk: c({ type: "integer" }),
    identifier: c({ type: "varchar", length: 800 }),
    displayNameKey: c({ type: "varchar", length: 1024 }),
    ipKey: c({ type: "blob" }),
    time: c({ type: "datetime" }),
    blob: c({ type: "blob" }),
    longText: c({ type: "text" }),
  };
}
