import type { Client, ClientStore, LogoutTokenType } from "../client-store.js";
import type { Dialect } from "./dialect.js";
import { chunks, marks } from "./sql-lists.js";
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
      const [row] = await sql.rows<ClientRow>(
        "SELECT client_id, enabled, backchannel_logout_uri, backchannel_logout_session_required, logout_token_type FROM clients WHERE client_id = ?",
        [clientId],
      );
      return row && toClient(row, dialect);
    },

    async findNotifiable(clientIds: readonly string[]): Promise<Set<string>> {
      const notifiable = new Set<string>();
      for (const part of chunks([...new Set(clientIds)], 500)) {
        const rows = await sql.rows<{ client_id: unknown }>(
          `SELECT client_id FROM clients WHERE client_id IN (${marks(part.length)}) AND enabled = 1 AND backchannel_logout_uri IS NOT NULL AND backchannel_logout_uri <> ''`,
          part,
        );
        for (const row of rows) notifiable.add(dialect.readText(row.client_id));
      }
      return notifiable;
    },
  };
}

interface ClientRow {
  client_id: unknown;
  enabled: unknown;
  backchannel_logout_uri: unknown;
  backchannel_logout_session_required: unknown;
  logout_token_type: unknown;
}

function toClient(row: ClientRow, dialect: Dialect): Client {
  return {
    clientId: dialect.readText(row.client_id),
    enabled: Number(row.enabled) === 1,
    backchannelLogoutUri: row.backchannel_logout_uri === null ? undefined : dialect.readText(row.backchannel_logout_uri),
    backchannelLogoutSessionRequired: Number(row.backchannel_logout_session_required) === 1,
    ...(row.logout_token_type === null ? {} : { logoutTokenType: dialect.readText(row.logout_token_type) as LogoutTokenType }),
  };
}
