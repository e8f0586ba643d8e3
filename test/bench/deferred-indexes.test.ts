import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { deferSecondaryIndexes } from "./suite/deferred-indexes.js";
import { openPool, rows } from "./suite/mysql.js";

const [, mysql] = await testBackends();
const tables = ["server_side_sessions", "session_clients", "persisted_grants"];

describe("deferSecondaryIndexes() (mysql)", { skip: mysql!.skip }, () => {
  let db: TestDatabase;
  let name: string;
  let admin: ReturnType<typeof openPool>;
  const ddl = async () =>
    Promise.all(tables.map(async (t) => (await rows<Record<string, string>>(admin, `SHOW CREATE TABLE ${name}.${t}`))[0]!["Create Table"]));
  const indexCount = async (t: string) =>
    (await rows(admin, "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? AND index_name <> 'PRIMARY'", [name, t])).length;

  before(async () => {
    db = await mysql!.open();
    const url = new URL(db.url);
    name = url.pathname.slice(1);
    admin = openPool(`mysql://${url.username || "root"}${url.password ? `:${url.password}` : ""}@${url.host}/`, 1);
  });
  after(async () => {
    await admin?.end();
    await db?.drop();
  });

  it("should drop the seeded tables' secondary indexes and build them again exactly as migrated", async () => {
    const migrated = await ddl();
    assert.ok((await indexCount("persisted_grants")) >= 5);
    const build = await deferSecondaryIndexes(admin, name);
    for (const t of tables) assert.equal(await indexCount(t), 0, `${t} has no secondary index while loading`);
    await build();
    assert.deepEqual(await ddl(), migrated);
  });

  it("should refuse a table that holds rows", async () => {
    await admin.query(`INSERT INTO ${name}.session_clients (session_pk, client_id) VALUES (1, 'c')`);
    await assert.rejects(deferSecondaryIndexes(admin, name), /session_clients is not empty/);
    assert.equal(await indexCount("session_clients"), 1);
    assert.equal(await indexCount("server_side_sessions"), 9, "checked before anything is dropped");
  });
});
