import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { describe, it } from "node:test";
import type { ResolveAll } from "../../src/notifier/guarded-lookup.js";
import { sharedLookup } from "../../src/notifier/shared-lookup.js";

/** A resolver that answers only when the test says so. */
function controlledResolver() {
  const started: { hostname: string; answer(addresses: LookupAddress[]): void }[] = [];
  const resolve: ResolveAll = (hostname, _options, callback) => {
    started.push({ hostname, answer: (addresses) => callback(null, addresses) });
  };
  return { resolve, started };
}

const lookupOnce = (resolve: ResolveAll, hostname: string) =>
  new Promise<LookupAddress[]>((done, fail) => resolve(hostname, { all: true }, (error, addresses) => (error ? fail(error) : done(addresses))));

describe("sharedLookup()", () => {
  it("should make one system lookup for concurrent lookups of one name, and answer them all", async () => {
    const system = controlledResolver();
    const resolve = sharedLookup(system.resolve, 2);
    const answers = [lookupOnce(resolve, "rp.example"), lookupOnce(resolve, "rp.example"), lookupOnce(resolve, "rp.example")];
    assert.deepEqual(system.started.map((s) => s.hostname), ["rp.example"]);
    system.started[0]!.answer([{ address: "192.0.2.1", family: 4 }]);
    for (const addresses of await Promise.all(answers)) assert.deepEqual(addresses, [{ address: "192.0.2.1", family: 4 }]);
    // Later lookups ask the system again (no caching here).
    void lookupOnce(resolve, "rp.example");
    assert.equal(system.started.length, 2);
  });

  it("should run at most the limit at once, starting waiting names in order as others end", async () => {
    const system = controlledResolver();
    const resolve = sharedLookup(system.resolve, 2);
    const answers = ["a.example", "b.example", "c.example", "d.example"].map((name) => lookupOnce(resolve, name));
    assert.deepEqual(system.started.map((s) => s.hostname), ["a.example", "b.example"]);
    system.started[1]!.answer([{ address: "192.0.2.2", family: 4 }]);
    assert.deepEqual(system.started.map((s) => s.hostname), ["a.example", "b.example", "c.example"]);
    // a.example never answers: the others still get through, one slot at a time.
    system.started[2]!.answer([{ address: "192.0.2.3", family: 4 }]);
    system.started[3]!.answer([{ address: "192.0.2.4", family: 4 }]);
    assert.deepEqual((await answers[3]!)[0]!.address, "192.0.2.4");
    assert.equal(system.started.length, 4);
  });
});
