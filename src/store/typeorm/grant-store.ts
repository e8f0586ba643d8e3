import type { GrantType } from "../../domain/grant-types.js";
import type { Grant, GrantFilter, GrantStore } from "../grant-store.js";
import type { Dialect } from "./dialect.js";
import { conditions, type Conditions } from "./sql-conditions.js";
import { marks } from "./sql-lists.js";
import type { SqlExecutor } from "./sql-executor.js";

const columns = [
  "grant_key",
  "grant_type",
  "subject_id",
  "session_id",
  "client_id",
  "description",
  "creation_time",
  "expiration",
  "consumed_time",
  "data",
];

/** The persisted grant store on TypeORM's connection, in portable SQL. */
export function createGrantStore(sql: SqlExecutor, dialect: Dialect): GrantStore {
  return {
    async store(grant: Grant): Promise<void> {
      const time = (value: Date | undefined) => (value === undefined ? null : dialect.time(value));
      await sql.run(dialect.upsert("persisted_grants", columns, ["grant_key"], columns.slice(1)), [
        grant.key,
        grant.type,
        grant.subjectId ?? null,
        grant.sessionId ?? null,
        grant.clientId,
        grant.description ?? null,
        dialect.time(grant.creationTime),
        time(grant.expiration),
        time(grant.consumedTime),
        grant.data,
      ]);
    },

    async findAll(filter: GrantFilter): Promise<Grant[]> {
      const where = grantWhere(filter);
      const rows = await sql.rows<GrantRow>(`SELECT ${columns.join(", ")} FROM persisted_grants${where.whereSql()} ORDER BY id`, where.params);
      return rows.map((row) => toGrant(row, dialect));
    },

    async removeAll(filter: GrantFilter): Promise<number> {
      const where = grantWhere(filter);
      return sql.run(`DELETE FROM persisted_grants${where.whereSql()}`, where.params);
    },
  };
}

// Mirrors the column order of IDX_grants_subject / IDX_grants_session, so
// that every combination is served by one of them.
function grantWhere(filter: GrantFilter): Conditions {
  if (filter.subjectId === undefined && filter.sessionId === undefined) {
    throw new Error("a grant filter needs a subject or session id");
  }
  const where = conditions().equals("subject_id", filter.subjectId).equals("session_id", filter.sessionId);
  for (const [column, values] of [["client_id", filter.clientIds], ["grant_type", filter.types]] as const) {
    if (values === undefined) continue;
    // An empty list matches nothing (IN () is not valid SQL).
    if (values.length === 0) return conditions().add("1 = 0");
    where.add(`${column} IN (${marks(values.length)})`, ...values);
  }
  return where;
}

interface GrantRow {
  grant_key: unknown;
  grant_type: unknown;
  subject_id: unknown;
  session_id: unknown;
  client_id: unknown;
  description: unknown;
  creation_time: unknown;
  expiration: unknown;
  consumed_time: unknown;
  data: unknown;
}

function toGrant(row: GrantRow, dialect: Dialect): Grant {
  const text = (value: unknown) => (value === null ? undefined : dialect.readText(value));
  const time = (value: unknown) => (value === null ? undefined : dialect.readTime(value));
  return {
    key: dialect.readText(row.grant_key),
    type: dialect.readText(row.grant_type) as GrantType,
    subjectId: text(row.subject_id),
    sessionId: text(row.session_id),
    clientId: dialect.readText(row.client_id),
    description: text(row.description),
    creationTime: dialect.readTime(row.creation_time),
    expiration: time(row.expiration),
    consumedTime: time(row.consumed_time),
    data: dialect.readText(row.data),
  };
}
