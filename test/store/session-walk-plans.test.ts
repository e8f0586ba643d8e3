import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseIpRange } from "../../src/domain/ip-address.js";
import type { SessionFilter } from "../../src/domain/session-filter.js";
import { neverExpires, sessionWalkOf, type WalkColumn } from "../../src/domain/session-walk.js";
import type { PageCursor } from "../../src/store/page-cursor.js";
import { selectSessionWalk } from "../../src/store/typeorm/session-sql.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { createSessions } from "../support/seed-sessions.js";

/**
 * The plans both engines choose for a walk over a time index: a range on
 * that index, read in its order (no sort), whatever else the filter holds,
 * from the start, from a row forward, and from a row backward.
 */
const hour = 3_600_000;
const now = Date.UTC(2026, 5, 1);
const range = { from: new Date(now - 48 * hour), to: new Date(now) };
const filters: [WalkColumn, SessionFilter][] = [
  ["created", { created: range }],
  ["created", { created: { from: range.from } }],
  ["renewed", { renewed: range, created: { from: range.from } }],
  ["expires", { expires: { from: range.from } }],
  ["expires", { state: "expired", now: new Date(now) }],
  ["created", { created: range, issuer: "https://idp.example", displayNamePrefix: "a" }],
  ["created", { created: range, clientId: "web" }],
  ["renewed", { renewed: range, ipAddress: parseIpRange("ip", "10.0.0.0/8"), state: "active", now: new Date(now) }],
  ["expires", { state: "active", now: new Date(now) }],
  ["expires", { state: "active", now: new Date(now), issuer: "https://idp.example" }],
];
const cursors: PageCursor[] = [
  { direction: "forward" },
  { direction: "forward", afterPk: 20, afterValue: now - 24 * hour },
  { direction: "backward", beforePk: 20, beforeValue: now - 24 * hour },
  { direction: "backward", beforePk: Number.MAX_SAFE_INTEGER },
  { direction: "forward", afterPk: 20, afterValue: neverExpires },
  { direction: "backward", beforePk: 20, beforeValue: neverExpires },
];

for (const backend of await testBackends()) {
  describe(`walks over a time index (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
      await createSessions(
        db.stores,
        Array.from({ length: 200 }, (_, i) => {
          const created = new Date(now - (i % 96) * hour);
          return { subjectId: `plan-${i % 7}`, created, renewed: created, expires: i % 5 === 0 ? undefined : new Date(created.getTime() + 12 * hour), clientIds: ["web"] };
        }),
      );
    });
    after(async () => {
      await db?.drop();
    });

    for (const [column, filter] of filters) {
      it(`should read ${JSON.stringify(filter)} as a range on the ${column} index, in its order, from every cursor`, async () => {
        assert.equal(sessionWalkOf(filter), column);
        for (const cursor of cursors) {
          for (const { from, where, orderBy } of selectSessionWalk(filter, column, cursor, true, db.database.dialect)) {
          const sql = `SELECT s.id FROM ${from}${where.whereSql()} ORDER BY ${orderBy} LIMIT 26`;
          const context = `${JSON.stringify(cursor)}: ${sql}`;
          if (backend.name === "mysql") {
            const plan = (await db.database.dataSource.query(`EXPLAIN ${sql}`, [...where.params])) as Record<string, unknown>[];
            // A cursor outside the range (before now on an active walk): answered without reading a row.
            if (plan.length === 1 && /Impossible WHERE/.test(String(plan[0]!.Extra))) continue;
            const sessions = plan.find((row) => row.table === "s");
            assert.ok(sessions, `${JSON.stringify(plan)}: ${context}`);
            assert.equal(sessions.key, `IDX_sessions_${column}`, context);
            // The never-expiring sessions of an active walk: the NULL entries, in id order.
            assert.ok(["range", "ref"].includes(String(sessions.type)), `${String(sessions.type)}: ${context}`);
            assert.doesNotMatch(plan.map((row) => String(row.Extra)).join(" "), /filesort|temporary/i, context);
          } else {
            const plan = (await db.database.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, [...where.params])) as { detail: string }[];
            const details = plan.map((row) => row.detail).join(" | ");
            assert.match(details, new RegExp(`SEARCH s USING (COVERING )?INDEX IDX_sessions_${column} \\(${column}[<>=]`), context);
            assert.doesNotMatch(details, /TEMP B-TREE|SCAN s/, context);
          }
          }
        }
      });
    }
  });
}
