import type { Client, ClientStore, ListedClient, LogoutTokenType } from "../client-store.js";
import type { PageCursor } from "../page-cursor.js";
import type { Dialect } from "./dialect.js";
import { keysetBound } from "./keyset.js";
import { conditions } from "./sql-conditions.js";
import { chunks, indexListLimit, marks } from "./sql-lists.js";
import type { SqlExecutor } from "./sql-executor.js";

const columns = [
  "client_id",
  "enabled",
  "backchannel_logout_uri",
  "backchannel_logout_session_required",
  "logout_token_type",
  "created",
  "updated",
];

const selectColumns = "id, client_id, enabled, backchannel_logout_uri, backchannel_logout_session_required, logout_token_type";

/** The client registry on TypeORM's connection, in portable SQL. */
export function createClientStore(sql: SqlExecutor, dialect: Dialect): ClientStore {
  return {
    async put(client: Client): Promise<void> {
      const now = dialect.time(new Date());
      await sql.run(
        dialect.upsert("clients", columns, ["client_id"], [
          "enabled",
          "backchannel_logout_uri",
          "backchannel_logout_session_required",
          "logout_token_type",
          "updated",
        ]),
        [
          client.clientId,
          client.enabled ? 1 : 0,
          client.backchannelLogoutUri ?? null,
          client.backchannelLogoutSessionRequired ? 1 : 0,
          client.logoutTokenType ?? null,
          now,
          now,
        ],
      );
    },

    async get(clientId: string): Promise<Client | undefined> {
      const [row] = await sql.rows<ClientRow>(`SELECT ${selectColumns} FROM clients WHERE client_id = ?`, [clientId]);
      if (row === undefined) return undefined;
      const { pk: _pk, ...client } = toClient(row, dialect);
      return client;
    },

    async findNotifiable(clientIds: readonly string[]): Promise<Set<string>> {
      const notifiable = new Set<string>();
      for (const part of chunks([...new Set(clientIds)], indexListLimit)) {
        const rows = await sql.rows<{ client_id: unknown }>(
          `SELECT client_id FROM clients WHERE client_id IN (${marks(part.length)}) AND enabled = 1 AND backchannel_logout_uri IS NOT NULL AND backchannel_logout_uri <> ''`,
          part,
        );
        for (const row of rows) notifiable.add(dialect.readText(row.client_id));
      }
      return notifiable;
    },

    async findPage(cursor: PageCursor, limit: number): Promise<ListedClient[]> {
      const where = conditions();
      const order = keysetBound(where, "id", cursor);
      const rows = await sql.rows<ClientRow>(`SELECT ${selectColumns} FROM clients${where.whereSql()} ORDER BY id ${order} LIMIT ?`, [
        ...where.params,
        limit,
      ]);
      return rows.map((row) => toClient(row, dialect));
    },

    async existsBeyond(cursor: PageCursor): Promise<boolean> {
      const where = conditions();
      keysetBound(where, "id", cursor);
      return (await sql.rows(`SELECT 1 AS found FROM clients${where.whereSql()} LIMIT 1`, where.params)).length > 0;
    },

    async count(): Promise<number> {
      const [row] = await sql.rows<{ n: unknown }>("SELECT COUNT(*) AS n FROM clients");
      return Number(row?.n ?? 0);
    },

    async delete(clientId: string): Promise<boolean> {
      return (await sql.run("DELETE FROM clients WHERE client_id = ?", [clientId])) > 0;
    },
  };
}

interface ClientRow {
  id: unknown;
  client_id: unknown;
  enabled: unknown;
  backchannel_logout_uri: unknown;
  backchannel_logout_session_required: unknown;
  logout_token_type: unknown;
}

function toClient(row: ClientRow, dialect: Dialect): ListedClient {
  return {
    pk: dialect.readPk(row.id),
    clientId: dialect.readText(row.client_id),
    enabled: Number(row.enabled) === 1,
    backchannelLogoutUri: row.backchannel_logout_uri === null ? undefined : dialect.readText(row.backchannel_logout_uri),
    backchannelLogoutSessionRequired: Number(row.backchannel_logout_session_required) === 1,
    ...(row.logout_token_type === null ? {} : { logoutTokenType: dialect.readText(row.logout_token_type) as LogoutTokenType }),
  };
}
