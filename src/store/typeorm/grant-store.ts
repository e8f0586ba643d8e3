import type { GrantType } from "../../domain/grant-types.js";
import type { Grant, GrantBinding, GrantFilter, GrantStore, ListedGrant, SubjectClients } from "../grant-store.js";
import type { PageCursor } from "../page-cursor.js";
import type { Dialect } from "./dialect.js";
import { keysetBound } from "./keyset.js";
import { conditions, type Conditions } from "./sql-conditions.js";
import { chunks, indexListLimit, keyListLimit, marks } from "./sql-lists.js";
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

const selectColumns = `id, ${columns.join(", ")}`;

/** The persisted grant store on TypeORM's connection, in portable SQL. */
export function createGrantStore(sql: SqlExecutor, dialect: Dialect): GrantStore {
  const page = (filter: GrantFilter, cursor: PageCursor) => {
    const where = grantWhere(filter);
    return { where, order: keysetBound(where, "id", cursor) };
  };

  // The grants of these types bound to these sessions, 200 session ids at a
  // time: IDX_grants_session finds the candidates; only those whose subject
  // matches too are bound to one of the sessions.
  async function* boundGrants(sessions: readonly GrantBinding[], types: readonly GrantType[], clientIds?: readonly string[]) {
    if (types.length === 0 || clientIds?.length === 0) return;
    const bound = new Set(sessions.flatMap((s) => (s.sessionId === undefined ? [] : [bindingKey(s.subjectId, s.sessionId)])));
    const sessionIds = [...new Set(sessions.flatMap((s) => (s.sessionId === undefined ? [] : [s.sessionId])))];
    for (const part of chunks(sessionIds, indexListLimit)) {
      const where = conditions()
        .add(`session_id IN (${marks(part.length)})`, ...part)
        .add(`grant_type IN (${marks(types.length)})`, ...types);
      if (clientIds !== undefined) where.add(`client_id IN (${marks(clientIds.length)})`, ...clientIds);
      const rows = await sql.rows<{ id: unknown; subject_id: unknown; session_id: unknown; client_id: unknown }>(
        `SELECT id, subject_id, session_id, client_id FROM persisted_grants${where.whereSql()}`,
        where.params,
      );
      yield rows
        .filter((row) => row.subject_id !== null && bound.has(bindingKey(dialect.readText(row.subject_id), dialect.readText(row.session_id))))
        .map((row) => ({ id: dialect.readPk(row.id), clientId: dialect.readText(row.client_id) }));
    }
  }

  // Every grant of these types of these subjects, 200 subjects at a time
  // through IDX_grants_subject, which holds all the columns read.
  async function* grantsOfSubjects(subjectIds: readonly string[], types: readonly GrantType[]) {
    if (types.length === 0) return;
    for (const part of chunks(subjectIds, indexListLimit)) {
      const rows = await sql.rows<{ id: unknown; subject_id: unknown; session_id: unknown; client_id: unknown; grant_type: unknown }>(
        `SELECT id, subject_id, session_id, client_id, grant_type FROM persisted_grants WHERE subject_id IN (${marks(part.length)}) AND grant_type IN (${marks(types.length)})`,
        [...part, ...types],
      );
      yield rows.map((row) => ({
        id: dialect.readPk(row.id),
        subjectId: dialect.readText(row.subject_id),
        sessionId: row.session_id === null ? undefined : dialect.readText(row.session_id),
        clientId: dialect.readText(row.client_id),
        type: dialect.readText(row.grant_type) as GrantType,
      }));
    }
  }

  // The grants of these types each subject holds for its listed clients (all
  // when unlisted).
  async function* subjectGrants(subjects: readonly SubjectClients[], types: readonly GrantType[]) {
    const wanted = wantedClients(subjects);
    for await (const grants of grantsOfSubjects([...wanted.keys()], types)) {
      yield grants.filter((grant) => wanted.get(grant.subjectId)?.has(grant.clientId) ?? true);
    }
  }

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
        Buffer.from(grant.data),
      ]);
    },

    async get(key: string): Promise<Grant | undefined> {
      const [row] = await sql.rows<GrantRow>(`SELECT ${selectColumns} FROM persisted_grants WHERE grant_key = ?`, [key]);
      if (row === undefined) return undefined;
      const { pk: _pk, ...grant } = toGrant(row, dialect);
      return grant;
    },

    async findAll(filter: GrantFilter): Promise<Grant[]> {
      const where = grantWhere(filter);
      const rows = await sql.rows<GrantRow>(`SELECT ${selectColumns} FROM persisted_grants${where.whereSql()} ORDER BY id`, where.params);
      return rows.map((row) => {
        const { pk: _pk, ...grant } = toGrant(row, dialect);
        return grant;
      });
    },

    async findPage(filter: GrantFilter, cursor: PageCursor, limit: number): Promise<ListedGrant[]> {
      const { where, order } = page(filter, cursor);
      const rows = await sql.rows<GrantRow>(
        `SELECT ${selectColumns} FROM persisted_grants${where.whereSql()} ORDER BY id ${order} LIMIT ?`,
        [...where.params, limit],
      );
      return rows.map((row) => toGrant(row, dialect));
    },

    async existsBeyond(filter: GrantFilter, cursor: PageCursor): Promise<boolean> {
      const { where } = page(filter, cursor);
      return (await sql.rows(`SELECT 1 AS found FROM persisted_grants${where.whereSql()} LIMIT 1`, where.params)).length > 0;
    },

    async remove(key: string): Promise<number> {
      return sql.run("DELETE FROM persisted_grants WHERE grant_key = ?", [key]);
    },

    async removeAll(filter: GrantFilter): Promise<number> {
      const where = grantWhere(filter);
      return sql.run(`DELETE FROM persisted_grants${where.whereSql()}`, where.params);
    },

    async removeBoundTo(sessions: readonly GrantBinding[], types: readonly GrantType[], clientIds?: readonly string[]): Promise<number> {
      let removed = 0;
      for await (const grants of boundGrants(sessions, types, clientIds)) {
        // Deleting by primary key measured faster than deleting through the secondary index.
        const ids = grants.map((grant) => grant.id);
        for (const idPart of chunks(ids, keyListLimit)) {
          removed += await sql.run(`DELETE FROM persisted_grants WHERE id IN (${marks(idPart.length)})`, idPart);
        }
      }
      return removed;
    },

    async countBoundTo(sessions: readonly GrantBinding[], types: readonly GrantType[], clientIds?: readonly string[]): Promise<Map<string, number>> {
      const byClient = new Map<string, number>();
      for await (const grants of boundGrants(sessions, types, clientIds)) {
        for (const grant of grants) byClient.set(grant.clientId, (byClient.get(grant.clientId) ?? 0) + 1);
      }
      return byClient;
    },

    async countOfSubjects(subjects, types): Promise<Map<string, number>> {
      const byClient = new Map<string, number>();
      for await (const grants of subjectGrants(subjects, types)) {
        for (const grant of grants) byClient.set(grant.clientId, (byClient.get(grant.clientId) ?? 0) + 1);
      }
      return byClient;
    },

    async removeOfSubjects(subjects, types): Promise<number> {
      let removed = 0;
      for await (const grants of subjectGrants(subjects, types)) {
        for (const idPart of chunks(grants.map((grant) => grant.id), keyListLimit)) {
          removed += await sql.run(`DELETE FROM persisted_grants WHERE id IN (${marks(idPart.length)})`, idPart);
        }
      }
      return removed;
    },

    async removeOfSessions(sessions, tokens, consents) {
      const tokenTypes = new Set(tokens.types);
      const tokenClients = tokens.clientIds && new Set(tokens.clientIds);
      const bound = new Set<string>();
      if (tokenTypes.size > 0 && tokenClients?.size !== 0) {
        for (const s of sessions) if (s.sessionId !== undefined) bound.add(bindingKey(s.subjectId, s.sessionId));
      }
      const consentTypes = new Set(consents.types);
      const wanted = consentTypes.size > 0 ? wantedClients(consents.subjects) : new Map<string, Set<string> | undefined>();
      const subjectIds = new Set([...wanted.keys()]);
      for (const s of sessions) if (s.sessionId !== undefined && bound.has(bindingKey(s.subjectId, s.sessionId))) subjectIds.add(s.subjectId);

      const doomed = { tokens: [] as number[], consents: [] as number[] };
      for await (const grants of grantsOfSubjects([...subjectIds], [...new Set([...tokenTypes, ...consentTypes])])) {
        for (const grant of grants) {
          const isToken =
            tokenTypes.has(grant.type) &&
            grant.sessionId !== undefined &&
            bound.has(bindingKey(grant.subjectId, grant.sessionId)) &&
            (tokenClients?.has(grant.clientId) ?? true);
          if (isToken) doomed.tokens.push(grant.id);
          else if (consentTypes.has(grant.type) && wanted.has(grant.subjectId) && (wanted.get(grant.subjectId)?.has(grant.clientId) ?? true)) {
            doomed.consents.push(grant.id);
          }
        }
      }
      // Counted as deleted, not as read: a grant removed meanwhile by someone else is not counted.
      const removed = { tokens: 0, consents: 0 };
      for (const kind of ["tokens", "consents"] as const) {
        for (const part of chunks(doomed[kind], keyListLimit)) {
          removed[kind] += await sql.run(`DELETE FROM persisted_grants WHERE id IN (${marks(part.length)})`, part);
        }
      }
      return removed;
    },

    async removeStale(before: Date, limit: number): Promise<number> {
      // Each kind is read from its own index, oldest first; rows another
      // sweeper holds are passed over.
      const ids: number[] = [];
      for (const column of ["expiration", "consumed_time"]) {
        if (ids.length >= limit) break;
        const rows = await sql.rows<{ id: unknown }>(
          `SELECT id FROM persisted_grants WHERE ${column} < ? ORDER BY ${column} LIMIT ?${dialect.forUpdateSkipLocked}`,
          [dialect.time(before), limit - ids.length],
        );
        for (const row of rows) ids.push(dialect.readPk(row.id));
      }
      let removed = 0;
      for (const part of chunks([...new Set(ids)], 500)) {
        removed += await sql.run(`DELETE FROM persisted_grants WHERE id IN (${marks(part.length)})`, part);
      }
      return removed;
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

// Each subject with its listed clients merged, or undefined (all its
// clients) when any entry lists none; subjects with an empty list are left out.
function wantedClients(subjects: readonly SubjectClients[]): Map<string, Set<string> | undefined> {
  const wanted = new Map<string, Set<string> | undefined>();
  for (const s of subjects) {
    if (s.clientIds?.length === 0) continue;
    const known = wanted.get(s.subjectId);
    if (wanted.has(s.subjectId) && known === undefined) continue;
    wanted.set(s.subjectId, s.clientIds === undefined ? undefined : new Set([...(known ?? []), ...s.clientIds]));
  }
  return wanted;
}

// Subject and session id as one unambiguous string.
function bindingKey(subjectId: string, sessionId: string): string {
  return JSON.stringify([subjectId, sessionId]);
}

interface GrantRow {
  id: unknown;
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

// Row mapping runs for every grant read: plain functions, no closures per row.
function optionalText(value: unknown, dialect: Dialect): string | undefined {
  return value === null ? undefined : dialect.readText(value);
}

function optionalTime(value: unknown, dialect: Dialect): Date | undefined {
  return value === null ? undefined : dialect.readTime(value);
}

function toGrant(row: GrantRow, dialect: Dialect): ListedGrant {
  return {
    pk: dialect.readPk(row.id),
    key: dialect.readText(row.grant_key),
    type: dialect.readText(row.grant_type) as GrantType,
    subjectId: optionalText(row.subject_id, dialect),
    sessionId: optionalText(row.session_id, dialect),
    clientId: dialect.readText(row.client_id),
    description: optionalText(row.description, dialect),
    creationTime: dialect.readTime(row.creation_time),
    expiration: optionalTime(row.expiration, dialect),
    consumedTime: optionalTime(row.consumed_time, dialect),
    // SQLite keeps a string bound to a blob column as text (the seed command
    // writes grant data as strings): its bytes are the UTF-8 encoding.
    data: Buffer.isBuffer(row.data) ? row.data : Buffer.from(String(row.data), "utf8"),
  };
}
