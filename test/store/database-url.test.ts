import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseLocation } from "../../src/store/typeorm/database-url.js";

function locationOf(url: string): DatabaseLocation {
  const result = parseDatabaseUrl(url);
  assert.ok("location" in result, `${url}: ${JSON.stringify(result)}`);
  return result.location;
}

function errorOf(url: string): string {
  const result = parseDatabaseUrl(url);
  assert.ok("error" in result, `${url}: expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

describe("parseDatabaseUrl()", () => {
  describe("sqlite:", () => {
    it("should take a relative path as it is", () => {
      assert.deepEqual(locationOf("sqlite:./data/sessions.db"), { kind: "sqlite", path: "./data/sessions.db" });
      assert.deepEqual(locationOf("sqlite:sessions.db"), { kind: "sqlite", path: "sessions.db" });
      assert.deepEqual(locationOf("sqlite:../shared/sessions.db"), { kind: "sqlite", path: "../shared/sessions.db" });
    });

    it("should take an absolute path with one or three slashes", () => {
      assert.deepEqual(locationOf("sqlite:/var/lib/sessions.db"), { kind: "sqlite", path: "/var/lib/sessions.db" });
      assert.deepEqual(locationOf("sqlite:///var/lib/sessions.db"), { kind: "sqlite", path: "/var/lib/sessions.db" });
    });

    it("should open an in-memory database for :memory:", () => {
      assert.deepEqual(locationOf("sqlite::memory:"), { kind: "sqlite", path: ":memory:" });
    });

    it("should keep spaces and other characters of the path", () => {
      assert.deepEqual(locationOf("sqlite:./my data/sessions 1.db"), { kind: "sqlite", path: "./my data/sessions 1.db" });
    });

    it("should require a path", () => {
      assert.match(errorOf("sqlite:"), /path/);
    });

    it("should refuse a host part, which a path was surely meant for", () => {
      assert.match(errorOf("sqlite://sessions.db"), /sqlite:\/\/\/absolute/);
      assert.match(errorOf("sqlite://"), /path/);
    });

    it("should accept the scheme in any case", () => {
      assert.deepEqual(locationOf("SQLite:x.db"), { kind: "sqlite", path: "x.db" });
    });
  });

  describe("mysql:// and mariadb://", () => {
    it("should read user, password, host, port and database", () => {
      assert.deepEqual(locationOf("mysql://app:s3cret@db.example.com:3307/sessions"), {
        kind: "mysql",
        host: "db.example.com",
        port: 3307,
        user: "app",
        password: "s3cret",
        database: "sessions",
      });
    });

    it("should treat mariadb:// like mysql://", () => {
      assert.deepEqual(locationOf("mariadb://app:s3cret@db.example.com:3307/sessions"), locationOf("mysql://app:s3cret@db.example.com:3307/sessions"));
    });

    it("should default to port 3306", () => {
      assert.equal((locationOf("mysql://app:pw@db/sessions") as { port: number }).port, 3306);
      assert.equal((locationOf("mariadb://db/sessions") as { port: number }).port, 3306);
    });

    it("should default to user root with an empty password", () => {
      assert.deepEqual(locationOf("mysql://db:3306/test"), { kind: "mysql", host: "db", port: 3306, user: "root", password: "", database: "test" });
      assert.deepEqual(locationOf("mysql://app@db/test"), { kind: "mysql", host: "db", port: 3306, user: "app", password: "", database: "test" });
    });

    it("should default to 127.0.0.1 when the host is left out", () => {
      assert.equal((locationOf("mysql:///test") as { host: string }).host, "127.0.0.1");
    });

    it("should accept an IPv6 address", () => {
      assert.deepEqual(locationOf("mysql://root@[::1]:3307/test"), { kind: "mysql", host: "::1", port: 3307, user: "root", password: "", database: "test" });
    });

    it("should decode a percent-encoded user, password and database", () => {
      const location = locationOf("mysql://app%20user:p%40ss%3Aw%2Fo%25rd%23%3F@db/my%20sessions");
      assert.deepEqual(location, {
        kind: "mysql",
        host: "db",
        port: 3306,
        user: "app user",
        password: "p@ss:w/o%rd#?",
        database: "my sessions",
      });
    });

    it("should take a password that contains a colon", () => {
      assert.equal((locationOf("mysql://app:a:b@db/test") as { password: string }).password, "a:b");
    });

    it("should refuse query parameters rather than ignore them", () => {
      assert.match(errorOf("mysql://db/sessions?ssl=true"), /query parameters/);
    });

    it("should require a database name", () => {
      for (const url of ["mysql://db", "mysql://db/", "mysql://app:pw@db:3306/", "mysql://db/a/b"]) {
        assert.match(errorOf(url), /database name/, url);
      }
    });

    it("should reject a port out of range", () => {
      assert.ok(errorOf("mysql://db:99999/test"));
      assert.ok(errorOf("mysql://db:port/test"));
    });

    it(
      "should reject a malformed percent escape instead of throwing",
      
      () => {
        for (const url of ["mysql://app:100%@db/test", "mysql://app%zz:pw@db/test", "mysql://db/test%"]) {
          assert.doesNotThrow(() => parseDatabaseUrl(url), url);
          assert.ok("error" in parseDatabaseUrl(url), url);
        }
      },
    );
  });

  describe("anything else", () => {
    it("should reject other schemes, naming the scheme", () => {
      for (const [url, scheme] of [
        ["postgres://db/sessions", "postgres:"],
        ["postgresql://app:pw@db:5432/sessions", "postgresql:"],
        ["http://db/sessions", "http:"],
        ["file:./sessions.db", "file:"],
        ["mssql://db/sessions", "mssql:"],
      ] as const) {
        assert.match(errorOf(url), new RegExp(`unsupported scheme ${scheme}`), url);
      }
    });

    it("should reject what is not a URL", () => {
      for (const url of ["", "sessions.db", "./data/sessions.db", "db:3306", "localhost/sessions"]) {
        assert.match(errorOf(url), /expected sqlite:/, url);
      }
    });
  });
});

describe("redactDatabaseUrl()", () => {
  it("should hide the password", () => {
    assert.equal(redactDatabaseUrl("mysql://app:s3cret@db.example.com:3307/sessions"), "mysql://app:***@db.example.com:3307/sessions");
    assert.equal(redactDatabaseUrl("mariadb://app:s3cret@db/sessions"), "mariadb://app:***@db/sessions");
  });

  it("should hide a percent-encoded password entirely", () => {
    const redacted = redactDatabaseUrl("mysql://app:p%40ss%3Aw%2Fo%25rd@db/sessions");
    assert.equal(redacted, "mysql://app:***@db/sessions");
  });

  it("should hide a password that contains a colon", () => {
    assert.equal(redactDatabaseUrl("mysql://app:a:b@db/test"), "mysql://app:***@db/test");
  });

  it("should hide a password given without a user", () => {
    assert.equal(redactDatabaseUrl("mysql://:s3cret@db/test"), "mysql://:***@db/test");
  });

  it(
    "should hide a password that contains an unencoded @",
    
    () => {
      // parseDatabaseUrl() reads this password as "p@ss"
      assert.equal(redactDatabaseUrl("mysql://app:p@ss@db/test"), "mysql://app:***@db/test");
    },
  );

  it("should leave URLs without a password unchanged", () => {
    for (const url of ["mysql://app@db/test", "mysql://db:3306/test", "sqlite:./data/sessions.db", "sqlite::memory:", "sqlite:///var/lib/s.db"]) {
      assert.equal(redactDatabaseUrl(url), url);
    }
  });
});
