import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Database } from "../../src/store/typeorm/data-source.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { testBackends } from "../support/backends.js";
import { openBeforeMigration } from "../support/before-migration.js";
import { schemaDrift } from "../support/schema-drift.js";

// Migration 0004 rebuilds persisted_grants (data becomes bytes) and clients
// (an id becomes the primary key): rows written before it must come through.
for (const backend of await testBackends()) {
  describe(`migration 0004, write side (${backend.name})`, { skip: backend.skip }, () => {
    it("should keep every grant and client, grant data as its UTF-8 bytes, and never reuse a grant id", async () => {
      const { database, runner, migrations, index: at, close } = await openBeforeMigration(backend, "WriteSide");
      try {
        try {
          await writeOldRows(database);
          for (const migration of migrations.slice(at)) await migration.up(runner);
        } finally {
          await runner.release();
        }
        assert.deepEqual(await schemaDrift(database), []);

        const stores = createStores(database);
        const grants = await stores.grants.findAll({ subjectId: "old" });
        assert.deepEqual(
          grants.map((g) => [g.key, Buffer.from(g.data).toString("utf8")]),
          [
            ["g1", '{"v":"Zoë ✓"}'],
            ["g2", "plain"],
          ],
        );
        // g3 had the largest id and was deleted before the migration.
        await stores.grants.store({ key: "g4", type: "refresh_token", subjectId: "old", clientId: "web", creationTime: new Date(), data: Buffer.from([0xff]) });
        const [row] = await database.dataSource.query("SELECT id FROM persisted_grants WHERE grant_key = 'g4'");
        assert.ok(Number(row.id) > 3, `new grant id ${row.id} reuses a deleted one`);

        const page = await stores.clients.findPage({ direction: "forward" }, 10);
        assert.deepEqual(
          page.map((c) => [c.clientId, c.enabled, c.backchannelLogoutUri, c.logoutTokenType]),
          [
            ["alpha", true, "https://a.example/logout", "JWT"],
            ["beta", false, undefined, undefined],
          ],
        );
        assert.ok(page[0]!.pk < page[1]!.pk);
      } finally {
        await close();
      }
    });

    it("should go down to the previous schema and up again", async () => {
      const { database, runner, migrations, index: at, close } = await openBeforeMigration(backend, "WriteSide");
      try {
        await migrations[at]!.up(runner);
        await migrations[at]!.down(runner);
        await writeOldRows(database);
        for (const migration of migrations.slice(at)) await migration.up(runner);
        assert.deepEqual(await schemaDrift(database), []);
        assert.equal((await createStores(database).grants.findAll({ subjectId: "old" })).length, 2);
      } finally {
        await close();
      }
    });
  });
}

async function writeOldRows(database: Database): Promise<void> {
  const { dataSource, dialect } = database;
  const at = dialect.time(new Date("2026-01-01T00:00:00.000Z"));
  const grant = "INSERT INTO persisted_grants (grant_key, grant_type, subject_id, client_id, creation_time, data) VALUES (?, 'refresh_token', 'old', 'web', ?, ?)";
  await dataSource.query(grant, ["g1", at, '{"v":"Zoë ✓"}']);
  await dataSource.query(grant, ["g2", at, "plain"]);
  await dataSource.query(grant, ["g3", at, "deleted"]);
  await dataSource.query("DELETE FROM persisted_grants WHERE grant_key = 'g3'");
  const client = "INSERT INTO clients (client_id, enabled, backchannel_logout_uri, backchannel_logout_session_required, logout_token_type, created, updated) VALUES (?, ?, ?, 1, ?, ?, ?)";
  await dataSource.query(client, ["beta", 0, null, null, at, at]);
  await dataSource.query(client, ["alpha", 1, "https://a.example/logout", "JWT", at, at]);
}
