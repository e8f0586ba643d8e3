import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { saveAdminKey } from "../../src/server/admin-key.js";

describe("saveAdminKey()", () => {
  const dir = mkdtempSync(join(tmpdir(), "sm-admin-key-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("should save the key next to an SQLite database, readable by its owner only", () => {
    const path = saveAdminKey(`sqlite:${join(dir, "sessions.db")}`, "smk_first");
    assert.equal(path, join(dir, "admin-api-key"));
    assert.equal(readFileSync(path, "utf8"), "smk_first\n");
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it("should replace a file left by an earlier database, permissions included", () => {
    const path = join(dir, "admin-api-key");
    writeFileSync(path, "smk_old\n", { mode: 0o644 });
    assert.equal(saveAdminKey(`sqlite:${join(dir, "sessions.db")}`, "smk_second"), path);
    assert.equal(readFileSync(path, "utf8"), "smk_second\n");
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it("should save nothing for a MySQL or in-memory database, or a folder it cannot write", () => {
    assert.equal(saveAdminKey("mysql://root@127.0.0.1:3306/sessions", "smk_x"), undefined);
    assert.equal(saveAdminKey("sqlite::memory:", "smk_x"), undefined);
    assert.equal(saveAdminKey(`sqlite:${join(dir, "missing", "sessions.db")}`, "smk_x"), undefined);
    assert.equal(existsSync(join(dir, "missing")), false);
  });
});
