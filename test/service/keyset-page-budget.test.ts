import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PagePosition } from "../../src/domain/page-token.js";
import { readKeysetPage, type KeysetPage, type KeysetSource } from "../../src/service/keyset-page.js";
import { budgetFit } from "../../src/service/page-budget.js";

interface Row {
  pk: number;
  bytes: number;
}

/** The rows in key order, served as a store would serve them. */
function sourceOf(rows: Row[]): KeysetSource<Row> {
  return {
    async findPage(cursor, limit) {
      if (cursor.direction === "forward") return rows.filter((r) => cursor.afterPk === undefined || r.pk > cursor.afterPk).slice(0, limit);
      return rows.filter((r) => r.pk < cursor.beforePk).reverse().slice(0, limit);
    },
    async existsBeyond(cursor) {
      return rows.some((r) => (cursor.direction === "forward" ? r.pk > (cursor.afterPk ?? 0) : r.pk < cursor.beforePk));
    },
  };
}

// A small deterministic generator, so that a failure can be replayed.
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
}

const positionOf = (page: KeysetPage<Row>): PagePosition => ({ firstPk: page.rows[0]!.pk, lastPk: page.rows.at(-1)!.pk, page: page.page });

describe("readKeysetPage() with a byte budget", () => {
  it("should walk every row once forward and back, each page within the budget or a single row", async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const budget = 100;
      const rows = Array.from({ length: 1 + next(40) }, (_, i) => ({ pk: (i + 1) * 3, bytes: next(4) === 0 ? 150 : 1 + next(60) }));
      const size = 1 + next(12);
      const source = sourceOf(rows);
      const fit = budgetFit<Row>(budget, (page) => page.map((r) => r.bytes));
      const read = (position: PagePosition | undefined, prior: boolean) => readKeysetPage(source, size, position, prior, fit);
      const within = (page: KeysetPage<Row>) =>
        assert.ok(page.rows.length === 1 || page.rows.reduce((sum, r) => sum + r.bytes, 0) <= budget, `seed ${seed}: over budget`);

      const forward: KeysetPage<Row>[] = [await read(undefined, false)];
      while (forward.at(-1)!.hasNext) forward.push(await read(positionOf(forward.at(-1)!), false));
      const backward: KeysetPage<Row>[] = [forward.at(-1)!];
      while (backward[0]!.hasPrev) backward.unshift(await read(positionOf(backward[0]!), true));

      const all = rows.map((r) => r.pk);
      assert.deepEqual(forward.flatMap((p) => p.rows.map((r) => r.pk)), all, `seed ${seed}: forward`);
      assert.deepEqual(backward.flatMap((p) => p.rows.map((r) => r.pk)), all, `seed ${seed}: back`);
      for (const page of [...forward, ...backward]) {
        within(page);
        assert.ok(page.rows.length >= 1 && page.rows.length <= size, `seed ${seed}: page of ${page.rows.length}`);
      }
      assert.equal(forward[0]!.hasPrev, false);
      assert.equal(backward[0]!.page, 1);
    }
  });

  it("should read as before without a budget", async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ pk: i + 1, bytes: 1000 }));
    const first = await readKeysetPage(sourceOf(rows), 3, undefined, false);
    assert.deepEqual(first.rows.map((r) => r.pk), [1, 2, 3]);
    const second = await readKeysetPage(sourceOf(rows), 3, positionOf(first), false);
    assert.deepEqual(second.rows.map((r) => r.pk), [4, 5, 6]);
    const back = await readKeysetPage(sourceOf(rows), 3, { firstPk: 3, lastPk: 5, page: 2 }, true);
    assert.deepEqual(back.rows.map((r) => r.pk), [1, 2, 3], "going back past the first row starts over at the first page");
  });
});
