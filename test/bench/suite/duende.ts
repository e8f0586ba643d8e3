import type { Pool } from "mysql2/promise";
import type { Operation } from "./load.js";
import { rows } from "./mysql.js";
import type { QueryCase } from "./query-cases.js";

// Duende IdentityServer's QuerySessionsAsync (EntityFramework store) on the
// same data: the filters are String.Contains, i.e. LIKE '%x%' on subject id,
// session id and display name, which no index can serve; pages are keyset by
// id; and every page counts the filtered set and the rows before the page
// (to number it), issued one after the other on one DbContext. It reads the
// whole row, ticket included (it decrypts it for the client list).
const columns = "id, session_key, scheme, subject_id, session_id, display_name, created, renewed, expires, ticket";

/** Duende's statements for a case, or undefined where Duende has no equivalent (the client filter). */
export function duendeQuery(pool: Pool, c: QueryCase, pageSize: number): Operation | undefined {
  if (c.filter.clientId !== undefined) return undefined;
  const conditions: string[] = [];
  const params: unknown[] = [];
  const contains = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    conditions.push(`${column} LIKE ?`);
    params.push(`%${value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  };
  contains("subject_id", c.filter.subjectId);
  contains("session_id", c.filter.sessionId);
  contains("display_name", c.filter.displayNamePrefix);
  const where = (extra?: string) => {
    const all = extra ? [...conditions, extra] : conditions;
    return all.length === 0 ? "" : ` WHERE ${all.join(" AND ")}`;
  };
  const position = c.position;
  return async () => {
    await rows(pool, `SELECT COUNT(*) AS n FROM server_side_sessions${where()}`, params);
    const page =
      position.kind === "first"
        ? await rows<{ id: unknown }>(pool, `SELECT ${columns} FROM server_side_sessions${where()} ORDER BY id LIMIT ?`, [...params, pageSize + 1])
        : position.kind === "next"
          ? await rows<{ id: unknown }>(pool, `SELECT ${columns} FROM server_side_sessions${where("id > ?")} ORDER BY id LIMIT ?`, [...params, position.afterPk, pageSize + 1])
          : await rows<{ id: unknown }>(pool, `SELECT ${columns} FROM server_side_sessions${where("id < ?")} ORDER BY id DESC LIMIT ?`, [...params, position.beforePk, pageSize + 1]);
    if (page.length === 0) return;
    const firstPk = position.kind === "prior" ? Math.min(...page.slice(0, pageSize).map((r) => Number(r.id))) : Number(page[0]!.id);
    await rows(pool, `SELECT COUNT(*) AS n FROM server_side_sessions${where("id < ?")}`, [...params, firstPk]);
  };
}
