import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import mysql from "mysql2/promise";
import { openDatabase } from "../../src/store/typeorm/data-source.js";
import { parseDatabaseUrl } from "../../src/store/typeorm/database-url.js";
import { testBackends } from "../support/backends.js";

const mysqlBackend = (await testBackends()).find((backend) => backend.name === "mysql")!;
const serverUrl = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/";

describe("a DATABASE_URL naming a database that does not exist (mysql)", { skip: mysqlBackend.skip }, () => {
  const name = `sm_test_${randomBytes(6).toString("hex")}`;
  const user = `sm_nocreate_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const url = new URL(serverUrl);
    const connection = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || "root", password: decodeURIComponent(url.password) });
    try {
      const [rows] = await connection.query(sql);
      return rows as Record<string, unknown>[];
    } finally {
      await connection.end();
    }
  };
  const location = (url: string) => {
    const parsed = parseDatabaseUrl(url);
    assert.ok("location" in parsed);
    return parsed.location;
  };
  after(async () => {
    await admin(`DROP DATABASE IF EXISTS ${name}`);
    await admin(`DROP USER IF EXISTS '${user}'@'%'`);
  });

  it("should say exactly what to run when the service may not change the schema, and create nothing", async () => {
    await assert.rejects(openDatabase(location(new URL(name, serverUrl).toString()), { poolSize: 1, connectTimeoutMs: 5000 }), (error: Error) => {
      assert.match(error.message, new RegExp(`database ${name} does not exist .* migrations are off; create it with: CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4`));
      return true;
    });
    assert.equal((await admin(`SHOW DATABASES LIKE '${name}'`)).length, 0);
  });

  it("should say what to run when the user may not create it", async () => {
    // Allowed to read that database once it exists, not to create it.
    await admin(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
    await admin(`GRANT SELECT ON ${name}.* TO '${user}'@'%'`);
    const url = new URL(serverUrl);
    url.username = user;
    url.password = "pw";
    url.pathname = `/${name}`;
    await assert.rejects(openDatabase(location(url.toString()), { poolSize: 1, connectTimeoutMs: 5000, createMissing: true }), (error: Error) => {
      assert.match(error.message, new RegExp(`user ${user} may not create it; create it with: CREATE DATABASE IF NOT EXISTS \`${name}\``));
      return true;
    });
  });

  it("should create it when allowed, and open it", async () => {
    const database = await openDatabase(location(new URL(name, serverUrl).toString()), { poolSize: 1, connectTimeoutMs: 5000, createMissing: true });
    try {
      const [row] = await database.dataSource.query("SELECT DATABASE() AS name, @@character_set_database AS charset");
      assert.deepEqual({ ...row }, { name, charset: "utf8mb4" });
    } finally {
      await database.dataSource.destroy();
    }
  });
});
