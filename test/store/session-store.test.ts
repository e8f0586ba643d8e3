import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { newSession } from "../support/fixtures.js";

// The SessionStore operations behind the SessionStore service and the sweeper.
for (const backend of await testBackends()) {
  describe(`session store, write side (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db?.drop();
    });

    it("should read a session back by key with its clients and ticket", async () => {
      const input = newSession({ clientIds: ["b", "a"], ticket: Buffer.from([0, 1, 2, 254, 255]) });
      const pk = await db.stores.sessions.create(input);
      const found = await db.stores.sessions.findByKey(input.key);
      assert.ok(found);
      assert.equal(found.pk, pk);
      assert.equal(found.subjectId, input.subjectId);
      assert.deepEqual(found.clientIds, ["a", "b"]);
      assert.deepEqual(Buffer.from(found.ticket), Buffer.from([0, 1, 2, 254, 255]));
      assert.equal(await db.stores.sessions.findByKey("no-such-key"), undefined);
    });

    it("should refuse a second session with the same key as already_exists, and keep the first", async () => {
      const input = newSession({ subjectId: "first" });
      await db.stores.sessions.create(input);
      await assert.rejects(
        db.stores.transaction((tx) => tx.sessions.create({ ...input, subjectId: "second" })),
        { name: "DomainError", code: "already_exists" },
      );
      assert.equal((await db.stores.sessions.findByKey(input.key))?.subjectId, "first");
    });

    it("should update only what changes, and report a missing key", async () => {
      const input = newSession({ displayName: "Old Name", clientIds: ["a"] });
      await db.stores.sessions.create(input);
      const renewed = new Date("2026-07-01T00:00:00.123Z");
      const expires = new Date("2026-07-02T00:00:00.456Z");
      assert.equal(await db.stores.sessions.update(input.key, { renewed, expires, clientIds: { ids: ["b", "a"], replace: false } }), true);
      let found = (await db.stores.sessions.findByKey(input.key))!;
      assert.deepEqual([found.renewed, found.expires, found.clientIds, found.displayName], [renewed, expires, ["a", "b"], "Old Name"]);
      assert.deepEqual(found.created, input.created);
      assert.deepEqual(Buffer.from(found.ticket), Buffer.from(input.ticket));

      assert.equal(await db.stores.sessions.update(input.key, { expires: null, displayName: "Nouveau Nom", ticket: Buffer.from("t2"), clientIds: { ids: ["c"], replace: true } }), true);
      found = (await db.stores.sessions.findByKey(input.key))!;
      assert.deepEqual([found.expires, found.displayName, found.clientIds, Buffer.from(found.ticket).toString()], [undefined, "Nouveau Nom", ["c"], "t2"]);
      // The folded display-name key moved with the name.
      const byPrefix = await db.stores.sessions.findPage({ displayNamePrefix: "nouveau" }, { direction: "forward" }, 10);
      assert.deepEqual(byPrefix.map((s) => s.key), [input.key]);

      assert.equal(await db.stores.sessions.update(input.key, { displayName: null, clientIds: { ids: [], replace: true } }), true);
      found = (await db.stores.sessions.findByKey(input.key))!;
      assert.deepEqual([found.displayName, found.clientIds], [undefined, []]);
      assert.equal(await db.stores.sessions.update("no-such-key", { renewed }), false);
    });

    it("should find the session when a renewal sets what it already holds, and change nothing else", async () => {
      const input = newSession({ displayName: "Kept", clientIds: ["a", "b"] });
      await db.stores.sessions.create(input);
      const renewed = new Date("2026-08-01T00:00:00.250Z");
      const expires = new Date("2026-08-15T00:00:00.750Z");
      assert.equal(await db.stores.sessions.update(input.key, { renewed, expires }), true);
      // The same values again: the row matches though nothing changes in it.
      assert.equal(await db.stores.sessions.update(input.key, { renewed, expires }), true);
      const found = (await db.stores.sessions.findByKey(input.key))!;
      assert.deepEqual([found.renewed, found.expires, found.displayName, found.clientIds], [renewed, expires, "Kept", ["a", "b"]]);
      assert.deepEqual(Buffer.from(found.ticket), Buffer.from(input.ticket));
      assert.equal(await db.stores.sessions.update("no-such-key", { renewed, expires }), false);
    });

    it("should return the tickets of the sessions that exist", async () => {
      const a = await db.stores.sessions.create(newSession({ ticket: Buffer.from("ta") }));
      const b = await db.stores.sessions.create(newSession({ ticket: Buffer.from("tb") }));
      const tickets = await db.stores.sessions.ticketsOf([a, b, 999_999]);
      assert.deepEqual([...tickets.keys()].sort((x, y) => x - y), [a, b]);
      assert.equal(Buffer.from(tickets.get(b)!).toString(), "tb");
    });

    it("should return the ticket sizes of the sessions that exist, in bytes, without their tickets", async () => {
      const a = await db.stores.sessions.create(newSession({ ticket: Buffer.alloc(70_000, 0xff) }));
      const b = await db.stores.sessions.create(newSession({ ticket: Buffer.alloc(0) }));
      const sizes = await db.stores.sessions.ticketSizesOf([a, b, 999_999]);
      assert.deepEqual([...sizes].sort(([x], [y]) => x - y), [[a, 70_000], [b, 0]]);
    });

    it("should find one session for termination by key", async () => {
      const input = newSession({ subjectId: "by-key", clientIds: ["x"] });
      const pk = await db.stores.sessions.create(input);
      await db.stores.sessions.create(newSession({ subjectId: "by-key" }));
      const found = await db.stores.sessions.findForTermination({ key: input.key });
      assert.deepEqual(found, [{ pk, subjectId: "by-key", sessionId: input.sessionId, issuer: input.issuer, clientIds: ["x"] }]);
      assert.deepEqual(await db.stores.sessions.findForTermination({ key: "no-such-key" }), []);
    });

    describe("claimExpired()", () => {
      const at = (iso: string) => new Date(iso);
      let expired: number[];

      before(async () => {
        // A table of its own: claims see every expired session in the database.
        await db.drop();
        db = await backend.open();
        expired = [];
        // Created in this order, expiring in another: the claim follows expiry.
        for (const expires of ["2026-01-03", "2026-01-01", "2026-01-02", "2026-01-02"]) {
          expired.push(await db.stores.sessions.create(newSession({ expires: at(`${expires}T00:00:00Z`), clientIds: ["c"] })));
        }
        await db.stores.sessions.create(newSession({ expires: at("2026-02-01T00:00:00Z") }));
        await db.stores.sessions.create(newSession({ expires: undefined }));
      });

      it("should take sessions that expired before the time, earliest expiry first, listed in creation order", async () => {
        const claimed = await db.stores.transaction((tx) => tx.sessions.claimExpired(at("2026-01-15T00:00:00Z"), 3));
        assert.deepEqual(claimed.map((s) => s.pk), [expired[1], expired[2], expired[3]]);
        assert.deepEqual(claimed[0]!.clientIds, ["c"]);
        const all = await db.stores.transaction((tx) => tx.sessions.claimExpired(at("2026-01-15T00:00:00Z"), 10));
        assert.deepEqual(all.map((s) => s.pk), expired);
        assert.deepEqual(await db.stores.transaction((tx) => tx.sessions.claimExpired(at("2026-01-01T00:00:00Z"), 10)), []);
      });

      it(
        "should pass over sessions another transaction has claimed",
        { skip: backend.name === "sqlite" && "SQLite runs one transaction at a time" },
        async () => {
          let release!: () => void;
          const held = new Promise<void>((resolve) => (release = resolve));
          let claimedFirst!: (pks: number[]) => void;
          const first = new Promise<number[]>((resolve) => (claimedFirst = resolve));
          const holder = db.stores.transaction(async (tx) => {
            claimedFirst((await tx.sessions.claimExpired(at("2026-01-15T00:00:00Z"), 2)).map((s) => s.pk));
            await held;
          });
          const firstPks = await first;
          const secondPks = (await db.stores.transaction((tx) => tx.sessions.claimExpired(at("2026-01-15T00:00:00Z"), 10))).map((s) => s.pk);
          release();
          await holder;
          assert.deepEqual(firstPks, [expired[1], expired[2]]);
          assert.deepEqual(secondPks, [expired[0], expired[3]]);
        },
      );
    });
  });
}
