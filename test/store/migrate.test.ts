import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { mysqlMigrations, sqliteMigrations } from "../../src/store/typeorm/migrations/index.js";
import { testBackends } from "../support/backends.js";

for (const backend of await testBackends()) {
  describe(`migrate() (${backend.name})`, { skip: backend.skip }, () => {
    const all = (backend.name === "mysql" ? mysqlMigrations : sqliteMigrations).map((m) => new m().name);
    const open = async (url: string) => {
      const parsed = parseDatabaseUrl(url);
      assert.ok("location" in parsed);
      return openDatabase(parsed.location, { poolSize: 1, connectTimeoutMs: 5000 });
    };

    it("should apply every migration once, even with a single pooled connection", async () => {
      const { url, remove } = await backend.createEmpty();
      const database = await open(url);
      try {
        assert.deepEqual(await migrate(database), all);
        assert.deepEqual(await migrate(database), []);
      } finally {
        await database.dataSource.destroy();
        await remove();
      }
    });

    it("should let instances that start together migrate once between them", { skip: backend.name === "sqlite" && "SQLite has one writer" }, async () => {
      const { url, remove } = await backend.createEmpty();
      const databases = await Promise.all([open(url), open(url), open(url)]);
      try {
        const applied = await Promise.all(databases.map((database) => migrate(database)));
        assert.deepEqual(applied.flat(), all);
      } finally {
        await Promise.all(databases.map((database) => database.dataSource.destroy()));
        await remove();
      }
    });
  });
}
