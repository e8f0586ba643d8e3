/**
 * CPU per store call, in this process alone: the identity provider's calls
 * as the service makes them (CreateSession and UpdateSession in a
 * transaction with their read-back, GetSession, the grant calls, a
 * QuerySessions page of 25 with its client links), without the RPC stack.
 * Other processes' load changes the figures much less than it changes the
 * whole server's, so this is the measure to compare a store change by.
 *
 *   npm run bench:store-cpu -- [--database-url mysql://root@127.0.0.1:3306/sm_bench_100k] [--calls 3000] [--concurrency 8] [--only a,b]
 *
 * Writes sessions and grants keyed `storecpu-…` and removes them at the end.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { grantTypes } from "../../src/domain/grant-types.js";
import { runForCall } from "../../src/store/call-deadline.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { createStores } from "../../src/store/typeorm/stores.js";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string", default: "mysql://root@127.0.0.1:3306/sm_bench_100k" },
    calls: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "8" },
    only: { type: "string" },
  },
});
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const parsed = parseDatabaseUrl(values["database-url"]!);
if ("error" in parsed) throw new Error(parsed.error);
const database = await openDatabase(parsed.location, { poolSize: 10, connectTimeoutMs: 5000 });
const stores = createStores(database);
const run = randomBytes(4).toString("hex");
const day = 86_400_000;
const ticket = randomBytes(1024);
const grantData = randomBytes(600);
const sessionKey = (i: number) => `storecpu-${run}-${i}`;
const grantKey = (i: number) => `storecpu-${run}-g${i}`;

const newSession = (i: number) => {
  const now = new Date();
  const key = sessionKey(i);
  return {
    key,
    scheme: "idsrv",
    subjectId: `${key}-sub`,
    sessionId: `${key}-sid`,
    displayName: "Bench User",
    issuer: "https://idp.example.com",
    created: now,
    renewed: now,
    expires: new Date(now.getTime() + 14 * day),
    clientIds: ["rp-1", "rp-2"],
    ticket,
  };
};
const newGrant = (i: number, consumed?: Date) => {
  const now = new Date();
  return {
    key: grantKey(i),
    type: grantTypes.refreshToken,
    subjectId: "storecpu-subject",
    sessionId: `storecpu-${run}-sid${i % 500}`,
    clientId: "rp-1",
    creationTime: now,
    expiration: new Date(now.getTime() + 30 * day),
    consumedTime: consumed,
    data: grantData,
  };
};

const operations: [string, (i: number) => Promise<unknown>][] = [
  ["createSession", (i) => stores.transaction(async (tx) => (await tx.sessions.create(newSession(i)), tx.sessions.findByKey(sessionKey(i))))],
  [
    "updateSession",
    (i) =>
      stores.transaction(async (tx) => {
        const now = new Date();
        await tx.sessions.update(sessionKey(i), { renewed: now, expires: new Date(now.getTime() + 14 * day) });
        return tx.sessions.findByKey(sessionKey(i));
      }),
  ],
  ["getSession", (i) => stores.sessions.findByKey(sessionKey(i))],
  ["firstPage", () => stores.sessions.findPage({ now: new Date() }, { direction: "forward" }, 26)],
  ["storeGrant", (i) => stores.grants.store(newGrant(i))],
  ["getGrant", (i) => stores.grants.get(grantKey(i))],
  ["consumeGrant", async (i) => stores.grants.store({ ...(await stores.grants.get(grantKey(i)))!, consumedTime: new Date() })],
  ["removeGrantsBySession", (i) => stores.grants.removeAll({ sessionId: `storecpu-${run}-sid${i % 500}` })],
];

// Each operation first runs unmeasured on keys of its own (so that the JIT
// has compiled its path), then `calls` times on keys 0 … calls - 1.
const warmCalls = 300;
const measure = async (operation: (i: number) => Promise<unknown>) => {
  const call = { signal: new AbortController().signal, deadline: undefined };
  const runAll = async (from: number, to: number) => {
    let next = from;
    const worker = async () => {
      for (let i = next++; i < to; i = next++) await runForCall(call, () => operation(i));
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await runAll(calls, calls + warmCalls);
  const before = process.cpuUsage();
  const started = performance.now();
  await runAll(0, calls);
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000 / calls, systemMs: used.system / 1000 / calls, wallMs: performance.now() - started };
};

console.log(`${calls} calls each, ${concurrency} at a time, ${database.engine}`);
const only = values.only?.split(",");
for (const [name, operation] of operations) {
  if (only !== undefined && !only.includes(name)) continue;
  const { cpuMs, systemMs, wallMs } = await measure(operation);
  console.log(`${name.padEnd(22)} ${(cpuMs * 1000).toFixed(0).padStart(5)} µs CPU/call (${(systemMs * 1000).toFixed(0).padStart(4)} in the kernel)  ${((calls / wallMs) * 1000).toFixed(0).padStart(6)} calls/s`);
}
await stores.grants.removeAll({ subjectId: "storecpu-subject" });
await database.dataSource.query(`DELETE c FROM session_clients c INNER JOIN server_side_sessions s ON s.id = c.session_pk WHERE s.session_key LIKE 'storecpu-${run}-%'`);
await database.dataSource.query(`DELETE FROM server_side_sessions WHERE session_key LIKE 'storecpu-${run}-%'`);
await stores.close();
