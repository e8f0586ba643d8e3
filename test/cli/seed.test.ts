import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { clientColumns, createDemoData, grantColumns, sessionColumns, type DemoBatch, type DemoDataOptions } from "../../src/cli/demo-data.js";
import { demoClientIds } from "../../src/cli/demo-people.js";
import { readSeedOptions, seedDemoData, type SeedRun, type SeedSummary } from "../../src/cli/seed.js";
import { displayNameKey } from "../../src/domain/display-name-key.js";
import { grantTypes } from "../../src/domain/grant-types.js";
import { bulkLoad } from "../../src/store/typeorm/bulk-loader.js";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { testBackends, type TestDatabase } from "../support/backends.js";

const now = new Date("2026-03-01T12:00:00.000Z");
const timeColumns = new Set(["created", "renewed", "expires", "creation_time", "expiration", "consumed_time"]);
const numberColumns = new Set(["id", "session_pk", "enabled", "backchannel_logout_session_required"]);
const run = (overrides: Partial<SeedRun> = {}): SeedRun => ({ sessions: 500, seed: 7, connections: 3, batchSize: 120, now, ...overrides });

for (const backend of await testBackends()) {
  describe(`seed (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    let summary: SeedSummary;
    const query = <T = Record<string, unknown>>(sql: string): Promise<T[]> => db.database.dataSource.query(sql);
    const count = async (sql: string) => Number((await query<{ n: unknown }>(`SELECT COUNT(*) AS n ${sql}`))[0]!.n);
    const text = (value: unknown) => (value === null ? null : db.database.dialect.readText(value));
    const time = (value: unknown) => (value === null ? null : db.database.dialect.readTime(value).getTime());

    before(async () => {
      db = await backend.open();
      summary = await seedDemoData(db.database, run());
    });
    after(async () => {
      await db?.drop();
    });

    it("should write as many rows as it reports, readable through the stores", async () => {
      assert.equal(summary.firstId, 1);
      assert.equal(summary.sessions, 500);
      assert.equal(await count("FROM server_side_sessions"), 500);
      assert.equal(await count("FROM session_clients"), summary.sessionClients);
      assert.equal(await count("FROM persisted_grants"), summary.grants);
      assert.equal(await count("FROM clients"), summary.clients);
      assert.ok(summary.sessionClients >= 500 && summary.sessionClients <= 2500);
      assert.ok(summary.grants > 500, `a few grants per session, got ${summary.grants}`);
      assert.equal(await db.stores.sessions.count({}), 500);
    });

    it("should number sessions in creation order, with unique keys and sids and times in order", async () => {
      const rows = await query<Record<string, unknown>>("SELECT id, session_key, session_id, issuer, created, renewed, expires FROM server_side_sessions ORDER BY id");
      assert.deepEqual(
        rows.map((r) => db.database.dialect.readPk(r.id)),
        Array.from({ length: 500 }, (_, i) => i + 1),
      );
      assert.equal(new Set(rows.map((r) => text(r.session_key))).size, 500);
      assert.equal(new Set(rows.map((r) => text(r.session_id))).size, 500);
      let previous = 0;
      for (const row of rows) {
        const [created, renewed, expires] = [time(row.created)!, time(row.renewed)!, time(row.expires)!];
        assert.ok(created >= previous, "created grows with id");
        assert.ok(created <= renewed && renewed <= now.getTime() && renewed < expires);
        assert.equal(text(row.issuer), "https://idp.example.com");
        previous = created;
      }
      const expired = rows.filter((r) => time(r.expires)! <= now.getTime()).length;
      assert.equal(expired, 0, "no session has expired unless asked for");
    });

    it("should give every session 1–5 clients, all registered", async () => {
      const perSession = await query<{ n: unknown }>("SELECT COUNT(*) AS n FROM session_clients GROUP BY session_pk");
      assert.equal(perSession.length, 500);
      assert.ok(perSession.every((r) => Number(r.n) >= 1 && Number(r.n) <= 5));
      assert.equal(await count("FROM session_clients c LEFT JOIN server_side_sessions s ON s.id = c.session_pk WHERE s.id IS NULL"), 0);
      assert.equal(await count("FROM session_clients c LEFT JOIN clients k ON k.client_id = c.client_id WHERE k.client_id IS NULL"), 0);

      const page = await db.stores.sessions.findPage({}, { direction: "forward" }, 100);
      assert.equal(page.length, 100);
      for (const session of page) {
        assert.ok(session.clientIds.length >= 1 && session.clientIds.length <= 5);
        for (const clientId of session.clientIds) assert.ok(await db.stores.clients.get(clientId), `${clientId} is registered`);
      }
    });

    it("should draw clients with skewed popularity and register them with back-channel settings", async () => {
      const popularity = await query<{ client_id: unknown; n: unknown }>(
        "SELECT client_id, COUNT(*) AS n FROM session_clients GROUP BY client_id ORDER BY COUNT(*) DESC",
      );
      const counts = popularity.map((r) => Number(r.n));
      assert.ok(counts[0]! > 5 * counts[counts.length - 1]!, `a few common, many rare: ${counts.join(" ")}`);
      const top = await db.stores.clients.get(text(popularity[0]!.client_id)!);
      assert.deepEqual(top, { clientId: "rp-1", enabled: true, backchannelLogoutUri: undefined, backchannelLogoutSessionRequired: true });
      assert.equal(await count("FROM clients WHERE enabled = 0"), 1, "rp-7 is disabled");
    });

    it("should give no client a back-channel logout URI, so that a demo never sends a notification", async () => {
      assert.equal(await count("FROM clients WHERE backchannel_logout_uri IS NOT NULL"), 0);
      const all = await query<{ client_id: unknown }>("SELECT client_id FROM clients");
      assert.equal((await db.stores.clients.findNotifiable(all.map((r) => text(r.client_id)!))).size, 0);
    });

    it("should store display_name_key as displayNameKey(display_name), with prefixes shared between subjects", async () => {
      const rows = await query<{ subject_id: unknown; display_name: unknown; display_name_key: unknown }>(
        "SELECT subject_id, display_name, display_name_key FROM server_side_sessions",
      );
      for (const row of rows) assert.equal(text(row.display_name_key), displayNameKey(text(row.display_name)!));
      const firstName = text(rows[0]!.display_name)!.split(" ")[0]!;
      const subjects = new Set(rows.filter((r) => text(r.display_name)!.startsWith(`${firstName} `)).map((r) => text(r.subject_id)));
      assert.ok(subjects.size > 1, `several subjects are called ${firstName}`);
      const matching = rows.filter((r) => displayNameKey(text(r.display_name)!).startsWith(displayNameKey(firstName))).length;
      assert.equal(await db.stores.sessions.count({ displayNamePrefix: firstName.toUpperCase() }), matching);
    });

    it("should give subjects several sessions", async () => {
      const perSubject = (await query<{ n: unknown }>("SELECT COUNT(*) AS n FROM server_side_sessions GROUP BY subject_id")).map((r) => Number(r.n));
      assert.ok(perSubject.every((n) => n >= 1 && n <= 8));
      assert.ok(perSubject.some((n) => n > 1) && perSubject.length < 500);
    });

    it("should give grants existing subjects, and session grants their session's sid and one of its clients", async () => {
      assert.equal(await count("FROM persisted_grants g WHERE NOT EXISTS (SELECT 1 FROM server_side_sessions s WHERE s.subject_id = g.subject_id)"), 0);
      assert.equal(await count(`FROM persisted_grants WHERE (grant_type = '${grantTypes.userConsent}') <> (session_id IS NULL)`), 0);
      assert.equal(
        await count(
          `FROM persisted_grants g WHERE g.session_id IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM server_side_sessions s INNER JOIN session_clients c ON c.session_pk = s.id
             WHERE s.session_id = g.session_id AND s.subject_id = g.subject_id AND c.client_id = g.client_id)`,
        ),
        0,
      );
      assert.equal(await count("FROM (SELECT subject_id, client_id FROM persisted_grants WHERE grant_type = 'user_consent' GROUP BY subject_id, client_id HAVING COUNT(*) > 1) twice"), 0);
      const types = (await query<{ grant_type: unknown }>("SELECT DISTINCT grant_type FROM persisted_grants")).map((r) => text(r.grant_type)).sort();
      assert.deepEqual(types, [grantTypes.authorizationCode, grantTypes.referenceToken, grantTypes.refreshToken, grantTypes.userConsent].sort());

      const [first] = await db.stores.sessions.findPage({}, { direction: "forward" }, 1);
      const grants = await db.stores.grants.findAll({ subjectId: first!.subjectId });
      assert.ok(grants.every((g) => g.subjectId === first!.subjectId));
    });

    it("should generate the same rows from the same seed", async () => {
      const other = await backend.open();
      try {
        await seedDemoData(other.database, run({ batchSize: 77, connections: 1 }));
        assert.deepEqual(await dump(other), await dump(db));
      } finally {
        await other.drop();
      }
    });

    it("should append after the existing sessions when run again", async () => {
      const before = await dump(db);
      const again = await seedDemoData(db.database, run({ sessions: 300, now: new Date(now.getTime() + 1000) }));
      assert.equal(again.firstId, 501);
      assert.notEqual(again.runId, summary.runId);
      assert.equal(await db.stores.sessions.count({}), 800);
      assert.equal(await count("FROM session_clients"), summary.sessionClients + again.sessionClients);
      assert.equal(await count("FROM persisted_grants"), summary.grants + again.grants);
      const after = await dump(db);
      assert.deepEqual(after.sessions.slice(0, 500), before.sessions, "earlier sessions stay as they were");
      assert.equal(after.sessions.at(-1)!.id, 800);
    });

    // Every row of the seeded tables as plain values, without the grants' database-made ids.
    async function dump(target: TestDatabase) {
      const rows = async (sql: string) => ((await target.database.dataSource.query(sql)) as Record<string, unknown>[]).map(plain);
      return {
        sessions: await rows("SELECT * FROM server_side_sessions ORDER BY id"),
        sessionClients: await rows("SELECT * FROM session_clients ORDER BY session_pk, client_id"),
        grants: await rows(`SELECT ${grantColumns.join(", ")} FROM persisted_grants ORDER BY grant_key`),
        clients: await rows("SELECT client_id, enabled, backchannel_logout_uri, backchannel_logout_session_required FROM clients ORDER BY client_id"),
      };
    }
    function plain(row: Record<string, unknown>) {
      return Object.fromEntries(
        Object.entries(row).map(([column, value]) => [
          column,
          timeColumns.has(column) ? time(value) : numberColumns.has(column) ? Number(value) : text(value),
        ]),
      );
    }
  });

  describe(`seed with the README's people (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    let summary: SeedSummary;
    const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> => db.database.dataSource.query(sql, parameters);
    const count = async (sql: string, parameters: unknown[] = []) => Number((await query<{ n: unknown }>(`SELECT COUNT(*) AS n ${sql}`, parameters))[0]!.n);
    const text = (value: unknown) => (value === null ? null : db.database.dialect.readText(value));
    const time = (value: unknown) => (value === null ? null : db.database.dialect.readTime(value).getTime());

    before(async () => {
      db = await backend.open();
      summary = await seedDemoData(db.database, run({ sessions: 400, people: true, expired: 40 }));
    });
    after(async () => {
      await db?.drop();
    });

    it("should add alice, bob and carol after the generated sessions, with readable names and session ids", async () => {
      assert.deepEqual(summary.people, ["alice", "bob", "carol"]);
      assert.equal(summary.sessions, 405);
      const people = await db.stores.sessions.findPage({ subjectId: "alice" }, { direction: "forward" }, 10);
      assert.deepEqual(
        people.map((s) => [s.sessionId, s.displayName, s.clientIds.slice().sort()]),
        [
          ["alice-laptop", "Alice Liddell", ["admin-portal", "web-app"]],
          ["alice-phone", "Alice Liddell", ["mobile-app"]],
        ],
      );
      assert.equal(await db.stores.sessions.count({ subjectId: "bob" }), 2);
      assert.equal(await db.stores.sessions.count({ subjectId: "carol" }), 1);
      assert.equal(await db.stores.sessions.count({ displayNamePrefix: "carol q" }), 1);
      const last = await query<{ subject_id: unknown }>("SELECT subject_id FROM server_side_sessions WHERE id > 400 ORDER BY id");
      assert.deepEqual(last.map((r) => text(r.subject_id)), ["alice", "alice", "bob", "bob", "carol"]);
    });

    it("should register web-app, mobile-app and admin-portal without a logout URI, used by the people only", async () => {
      for (const clientId of demoClientIds) {
        assert.deepEqual(await db.stores.clients.get(clientId), { clientId, enabled: true, backchannelLogoutUri: undefined, backchannelLogoutSessionRequired: true });
      }
      assert.equal(await db.stores.sessions.count({ clientId: "web-app" }), 3);
      assert.equal(await db.stores.sessions.count({ clientId: "mobile-app" }), 2);
      assert.equal(await db.stores.sessions.count({ clientId: "admin-portal" }), 2);
      assert.equal(await count("FROM clients WHERE backchannel_logout_uri IS NOT NULL"), 0, "no client has a logout URI: nothing leaves the machine");
    });

    it("should give the people a refresh token per client of each session and a consent per client, none expiring soon", async () => {
      const grants = await db.stores.grants.findAll({ subjectId: "alice" });
      assert.deepEqual(grants.map((g) => `${g.type} ${g.sessionId ?? "-"} ${g.clientId}`).sort(), [
        "refresh_token alice-laptop admin-portal",
        "refresh_token alice-laptop web-app",
        "refresh_token alice-phone mobile-app",
        "user_consent - admin-portal",
        "user_consent - mobile-app",
        "user_consent - web-app",
      ]);
      assert.ok(grants.every((g) => g.expiration === undefined || g.expiration.getTime() > now.getTime() + 7 * 24 * 3_600_000));
    });

    it("should expire exactly the sessions asked for, generated ones only, with their times in order", async () => {
      const rows = await query<Record<string, unknown>>("SELECT id, subject_id, created, renewed, expires FROM server_side_sessions ORDER BY id");
      const expired = rows.filter((r) => time(r.expires)! <= now.getTime());
      assert.equal(expired.length, 40);
      assert.ok(expired.every((r) => Number(r.id) <= 400));
      let previous = 0;
      for (const row of rows) {
        const [created, renewed, expires] = [time(row.created)!, time(row.renewed)!, time(row.expires)!];
        assert.ok(created >= previous && created <= renewed && renewed < expires && renewed <= now.getTime(), `session ${row.id}`);
        previous = created;
      }
    });

    it("should add a person again only once their sessions are gone", async () => {
      await query("DELETE FROM session_clients WHERE session_pk IN (SELECT id FROM server_side_sessions WHERE subject_id = ?)", ["bob"]);
      await query("DELETE FROM server_side_sessions WHERE subject_id = ?", ["bob"]);
      const again = await seedDemoData(db.database, run({ sessions: 10, people: true, now: new Date(now.getTime() + 1000) }));
      assert.deepEqual(again.people, ["bob"]);
      assert.equal(await db.stores.sessions.count({ subjectId: "alice" }), 2);
      assert.equal(await db.stores.sessions.count({ subjectId: "bob" }), 2);
    });
  });

  describe(`seed for benchmarks (${backend.name})`, { skip: backend.skip }, () => {
    it("should give most generated clients a logout URI at rp-N.example.com when asked to, and add no people unless asked", async () => {
      const db = await backend.open();
      try {
        const summary = await seedDemoData(db.database, run({ sessions: 300, logoutUris: true }));
        assert.deepEqual(summary.people, []);
        assert.equal(summary.sessions, 300);
        assert.deepEqual(await db.stores.clients.get("rp-1"), {
          clientId: "rp-1",
          enabled: true,
          backchannelLogoutUri: "https://rp-1.example.com/backchannel-logout",
          backchannelLogoutSessionRequired: true,
        });
        const ids = (await db.database.dataSource.query("SELECT client_id FROM clients")).map((r: { client_id: unknown }) => db.database.dialect.readText(r.client_id));
        const notifiable = await db.stores.clients.findNotifiable(ids);
        assert.ok(notifiable.size > ids.length / 2 && notifiable.size < ids.length, `most clients notifiable: ${notifiable.size} of ${ids.length}`);
      } finally {
        await db.drop();
      }
    });
  });

  describe(`bulkLoad() (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db?.drop();
    });
    const clientRows = (from: number, to: number, uri: string) =>
      Array.from({ length: to - from }, (_, i) => [`bulk-${from + i}`, 1, uri, 1, now, now]).flat();

    it("should split rows into statements within the engine's limits", async () => {
      // 20 MB and 60,000 parameters: above MySQL's default packet size and SQLite's parameter limit.
      const uri = `https://rp.example.com/${"x".repeat(1950)}`;
      await bulkLoad(db.database, [[{ table: "clients", columns: clientColumns, values: clientRows(0, 10_000, uri) }]], { connections: 2 });
      const [row] = await db.database.dataSource.query("SELECT COUNT(*) AS n, MIN(backchannel_logout_uri) AS uri FROM clients WHERE client_id LIKE 'bulk-%'");
      assert.equal(Number(row.n), 10_000);
      assert.equal(row.uri, uri);
    });

    it("should keep existing rows when asked to", async () => {
      await bulkLoad(db.database, [[{ table: "clients", columns: clientColumns, values: clientRows(0, 3, "https://changed.example.com"), ifAbsent: true }]], { connections: 1 });
      assert.match((await db.stores.clients.get("bulk-0"))?.backchannelLogoutUri ?? "", /^https:\/\/rp\.example\.com\//);
    });

    it("should roll back the failing batch, keep the ones before it and write none after it", async () => {
      const batch = (from: number, to: number) => ({ table: "clients", columns: clientColumns, values: clientRows(from, to, "https://rp.example.com") });
      const duplicate = batch(0, 1);
      await assert.rejects(bulkLoad(db.database, [[batch(30_000, 30_002)], [batch(20_000, 20_002), duplicate], [batch(40_000, 40_002)]], { connections: 1 }));
      assert.ok(await db.stores.clients.get("bulk-30001"));
      assert.equal(await db.stores.clients.get("bulk-20000"), undefined);
      assert.equal(await db.stores.clients.get("bulk-40000"), undefined);
    });
  });
}

describe("createDemoData()", () => {
  const all = (seed: number, more: Partial<DemoDataOptions> = {}) => {
    const data = createDemoData({ sessions: 300, seed, firstId: 42, now, batchSize: 64, ...more });
    const batches: DemoBatch[] = [...data.batches];
    return { batches, clients: data.clientRows() };
  };

  it("should give the same rows for the same seed, and different rows for another", () => {
    assert.deepEqual(all(3), all(3));
    assert.notDeepEqual(all(3).batches, all(4).batches);
  });

  it("should cut batches of the requested size, ids from firstId on", () => {
    const { batches } = all(3);
    assert.deepEqual(
      batches.map((b) => b.sessions.length / sessionColumns.length),
      [64, 64, 64, 64, 44],
    );
    assert.equal(batches[0]!.sessions[0], 42);
    assert.equal(batches.at(-1)!.sessions.at(-sessionColumns.length), 341);
  });

  it("should give the same rows for the same seed with the people and expired sessions too", () => {
    const options = { people: ["alice", "bob", "carol"], expired: 30 };
    assert.deepEqual(all(3, options), all(3, options));
    assert.equal(all(3, options).batches.at(-1)!.sessions.at(-sessionColumns.length), 346, "the people's five sessions follow");
  });

  it("should change only the times of the sessions asked to be expired", () => {
    const rows = (more: Partial<DemoDataOptions>) => all(3, more).batches.flatMap((b) => chunk(b.sessions, sessionColumns.length));
    const [live, expired] = [rows({}), rows({ expired: 30 })];
    const changed = live.filter((row, i) => JSON.stringify(row) !== JSON.stringify(expired[i]));
    assert.equal(changed.length, 30);
    // Everything but renewed, expires and the last-seen time (the last renewal) is the same, row for row.
    const times = ["renewed", "expires", "last_seen"].map((name) => sessionColumns.indexOf(name as (typeof sessionColumns)[number]));
    const withoutTimes = (row: unknown[]) => row.filter((_, column) => !times.includes(column));
    assert.deepEqual(expired.map(withoutTimes), live.map(withoutTimes));
    assert.deepEqual(all(3, { expired: 30 }).clients, all(3).clients);
  });
});

function chunk(values: unknown[], size: number): unknown[][] {
  return Array.from({ length: values.length / size }, (_, i) => values.slice(i * size, (i + 1) * size));
}

describe("readSeedOptions()", () => {
  it("should take flags over DATABASE_URL over the default", () => {
    const defaults = readSeedOptions([], {});
    assert.ok("values" in defaults);
    assert.equal(defaults.values.databaseUrl, "sqlite:./data/sessions.db");
    assert.equal(defaults.values.sessions, 10_000);
    const fromEnv = readSeedOptions(["--sessions", "5"], { DATABASE_URL: "mysql://root@127.0.0.1:3306/x" });
    assert.ok("values" in fromEnv);
    assert.equal(fromEnv.values.sessions, 5);
    assert.equal(fromEnv.values.location.kind, "mysql");
    const fromFlag = readSeedOptions(["--database-url", "sqlite:/tmp/a.db"], { DATABASE_URL: "mysql://root@127.0.0.1:3306/x" });
    assert.ok("values" in fromFlag);
    assert.deepEqual(fromFlag.values.location, { kind: "sqlite", path: "/tmp/a.db" });
  });

  it("should reject what it cannot use, naming the flag", () => {
    for (const [args, flag] of [
      [["--sessions", "0"], "--sessions"],
      [["--sessions", "1e3"], "--sessions"],
      [["--seed", "4294967296"], "--seed"],
      [["--sessions", "10", "--expired", "11"], "--expired"],
      [["--database-url", "postgres://x/y"], "--database-url"],
      [["--nope"], "--nope"],
    ] as const) {
      const result = readSeedOptions(args, {});
      assert.ok("error" in result && result.error.includes(flag), `${args.join(" ")}: ${JSON.stringify(result)}`);
    }
  });
});

// Counts rows of an SQLite file the command wrote.
async function countIn(path: string, froms: string[]): Promise<number[]> {
  const database = await openDatabase({ kind: "sqlite", path }, { poolSize: 1, connectTimeoutMs: 5000 });
  try {
    const counts: number[] = [];
    for (const from of froms) counts.push(Number((await database.dataSource.query(`SELECT COUNT(*) AS n ${from}`))[0].n));
    return counts;
  } finally {
    await database.dataSource.destroy();
  }
}

// Now, as SQLite stores times.
const expiredBefore = () => new Date().toISOString().replace("T", " ").replace("Z", "");

describe("npm run seed", () => {
  const { DATABASE_URL: _ignored, ...withoutDatabaseUrl } = process.env;
  const command = (args: string[]) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/seed.ts", ...args], { cwd: join(import.meta.dirname, "../.."), env: withoutDatabaseUrl }).then(
      (out) => ({ code: 0, ...out }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  const dir = mkdtempSync(join(tmpdir(), "sm-seed-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("should seed a SQLite file with the README's people, no expired session and no logout URI, and print a summary", async () => {
    const { code, stdout } = await command(["--sessions", "200", "--database-url", `sqlite:${join(dir, "sessions.db")}`]);
    assert.equal(code, 0);
    assert.match(stdout, /^seeded 205 sessions \(ids 1-205, run \w+\), \d+ session clients, \d+ grants, \d+ clients in \d+\.\d s \(\d+ rows\/s\)$/m);
    assert.match(stdout, /^with the README's people: alice, bob, carol$/m);
    const counts = await countIn(join(dir, "sessions.db"), [
      `FROM server_side_sessions WHERE expires <= '${expiredBefore()}'`,
      "FROM clients WHERE backchannel_logout_uri IS NOT NULL",
      "FROM clients WHERE client_id IN ('web-app', 'mobile-app', 'admin-portal')",
      "FROM server_side_sessions WHERE subject_id IN ('alice', 'bob', 'carol')",
    ]);
    assert.deepEqual(counts, [0, 0, 3, 5]);
  });

  it("should expire as many sessions as --expired asks for", async () => {
    const { code, stdout } = await command(["--sessions", "100", "--expired", "30", "--database-url", `sqlite:${join(dir, "expired.db")}`]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /\(seed 1, 30 expired\)/);
    assert.deepEqual(await countIn(join(dir, "expired.db"), [`FROM server_side_sessions WHERE expires <= '${expiredBefore()}'`]), [30]);
  });

  it("should exit with 2 and say why on a bad option", async () => {
    const { code, stderr } = await command(["--sessions", "many"]);
    assert.equal(code, 2);
    assert.match(stderr, /--sessions: expected a whole number/);
  });
});
