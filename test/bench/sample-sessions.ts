import type { SqlExecutor } from "../../src/store/typeorm/sql-executor.js";

/** Real values from a filled database, for benchmark scenarios. */
export interface SessionSamples {
  total: number;
  /** The sessions at 50% and 90% of the table, in creation order. */
  middle: { pk: number; subjectId: string; sessionId: string; displayName: string };
  deep: { pk: number };
  /** The most and the least used clients, with their session counts. */
  popularClient: { clientId: string; sessions: number };
  rareClient: { clientId: string; sessions: number };
  /** For the newer filters: the middle session's creation time and sign-in address, the latest creation time, the deep session's expiry (unset: never). */
  times: { middleCreated: Date; latestCreated: Date; deepExpires?: Date };
  middleIp?: string;
}

/** Picks the samples (a few seconds at a million sessions: it uses OFFSET and GROUP BY once). */
export async function sampleSessions(sql: Pick<SqlExecutor, "rows">, readText: (value: unknown) => string): Promise<SessionSamples> {
  const [{ n }] = await sql.rows<{ n: unknown }>("SELECT COUNT(*) AS n FROM server_side_sessions");
  const total = Number(n);
  if (total === 0) throw new Error("the database has no sessions: fill it with npm run seed first");
  const at = async (fraction: number) =>
    (await sql.rows<Record<string, unknown>>(
      "SELECT id, subject_id, session_id, display_name FROM server_side_sessions ORDER BY id LIMIT 1 OFFSET ?",
      [Math.min(total - 1, Math.floor(total * fraction))],
    ))[0]!;
  const middle = await at(0.5);
  const deep = await at(0.9);
  const clients = await sql.rows<{ client_id: unknown; n: unknown }>(
    "SELECT client_id, COUNT(*) AS n FROM session_clients GROUP BY client_id ORDER BY n DESC",
  );
  const client = (row: { client_id: unknown; n: unknown }) => ({ clientId: readText(row.client_id), sessions: Number(row.n) });
  return {
    total,
    middle: {
      pk: Number(middle.id),
      subjectId: readText(middle.subject_id),
      sessionId: readText(middle.session_id),
      displayName: readText(middle.display_name),
    },
    deep: { pk: Number(deep.id) },
    popularClient: client(clients[0]!),
    rareClient: client(clients.at(-1)!),
    ...(await newerSamples(sql, Number(middle.id), Number(deep.id))),
  };
}

async function newerSamples(sql: Pick<SqlExecutor, "rows">, middlePk: number, deepPk: number): Promise<Pick<SessionSamples, "times" | "middleIp">> {
  const [row] = await sql.rows<{ created: unknown; latest: unknown; deep_expires: unknown }>(
    "SELECT (SELECT created FROM server_side_sessions WHERE id = ?) AS created, (SELECT MAX(created) FROM server_side_sessions) AS latest, " +
      "(SELECT expires FROM server_side_sessions WHERE id = ?) AS deep_expires",
    [middlePk, deepPk],
  );
  const time = (value: unknown) => (value instanceof Date ? value : new Date(`${String(value).replace(" ", "T")}Z`));
  const times = {
    middleCreated: time(row!.created),
    latestCreated: time(row!.latest),
    ...(row!.deep_expires !== null && row!.deep_expires !== undefined && { deepExpires: time(row!.deep_expires) }),
  };
  // Datasets seeded before session metadata have no sign-in addresses.
  const ip = await sql.rows<{ ip: unknown }>("SELECT sign_in_ip AS ip FROM server_side_sessions WHERE id = ?", [middlePk]).catch(() => []);
  const middleIp = ip[0]?.ip === null || ip[0]?.ip === undefined ? undefined : String(ip[0].ip);
  return { times, middleIp };
}
