import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backlogFactor, createDeliveryQueue } from "../../src/notifier/delivery-queue.js";

describe("createDeliveryQueue()", () => {
  it("should start at most the per-destination and total limits", () => {
    const queue = createDeliveryQueue<number>({ concurrency: 5, perDestination: 2 });
    for (let i = 0; i < 4; i++) queue.add("a", i);
    for (let i = 0; i < 4; i++) queue.add("b", 10 + i);
    for (let i = 0; i < 4; i++) queue.add("c", 20 + i);
    const started = queue.takeStartable();
    assert.equal(started.length, 5);
    for (const destination of ["a", "b", "c"]) assert.ok(started.filter((s) => s.destination === destination).length <= 2, destination);
    assert.deepEqual(queue.takeStartable(), [], "nothing more until something finishes");
    assert.equal(queue.held(), 12);
  });

  it("should let destinations take turns, so a large backlog does not delay a small one", () => {
    const queue = createDeliveryQueue<string>({ concurrency: 1, perDestination: 1 });
    for (let i = 0; i < 5; i++) queue.add("big", `big-${i}`);
    queue.add("small", "small-0");
    const order: string[] = [];
    for (let step = 0; step < 3; step++) {
      const [next] = queue.takeStartable();
      order.push(next!.item);
      queue.finish(next!.destination);
    }
    assert.deepEqual(order, ["big-0", "small-0", "big-1"]);
  });

  it("should refuse a destination once it holds its backlog, until it drains to one share", () => {
    const perDestination = 2;
    const queue = createDeliveryQueue<number>({ concurrency: 100, perDestination });
    for (let i = 0; i < backlogFactor * perDestination; i++) {
      assert.equal(queue.accepts("a"), true);
      queue.add("a", i);
    }
    assert.equal(queue.accepts("a"), false);
    assert.deepEqual([...queue.full()], ["a"]);
    assert.equal(queue.accepts("b"), true);
    const reopened: boolean[] = [];
    for (let round = 0; round < 4; round++) {
      for (const { destination } of queue.takeStartable()) reopened.push(queue.finish(destination));
    }
    // 6 held: finishing leaves 5, 4 (still full), then 3, 2: reopens at 2.
    assert.deepEqual(reopened.slice(0, 4), [false, false, false, true]);
    assert.equal(queue.accepts("a"), true);
  });

  it("should hand back everything queued but not started when drained", () => {
    const queue = createDeliveryQueue<number>({ concurrency: 1, perDestination: 1 });
    [1, 2, 3].forEach((i) => queue.add("a", i));
    const [running] = queue.takeStartable();
    assert.deepEqual(queue.drain(), [2, 3]);
    assert.equal(queue.held(), 1);
    queue.finish(running!.destination);
    assert.equal(queue.held(), 0);
    assert.throws(() => queue.finish("a"), /no delivery to a is running/);
  });
});
