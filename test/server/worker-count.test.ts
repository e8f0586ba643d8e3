import assert from "node:assert/strict";
import { test } from "node:test";
import { workerCount } from "../../src/server/worker-count.js";

test("--workers takes a count, or auto for every core, and refuses more than one on SQLite", () => {
  assert.equal(workerCount("1", "sqlite", 8), 1);
  assert.equal(workerCount("4", "mysql", 2), 4);
  assert.equal(workerCount("auto", "mysql", 8), 8);
  assert.equal(workerCount("AUTO", "sqlite", 1), 1, "auto on a one-core machine is one worker, fine on SQLite");
  assert.match(String(workerCount("auto", "sqlite", 2)), /2 workers need MySQL or MariaDB/);
  assert.match(String(workerCount("0", "mysql")), /at least 1, or auto/);
  assert.match(String(workerCount("two", "mysql")), /at least 1, or auto/);
  assert.match(String(workerCount("1000", "mysql")), /at most 256/);
});
