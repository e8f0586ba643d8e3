import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runForCall } from "../../src/store/call-deadline.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { newSession } from "../support/fixtures.js";

const code = (error: unknown) => (error as { code?: unknown }).code;

// What every backend promises about statements run for a call that ends.
for (const backend of await testBackends()) {
  describe(`statements bounded by their call (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db?.drop();
    });

    it("should send no statement once the call's deadline has passed", async () => {
      const session = newSession();
      const call = { signal: new AbortController().signal, deadline: Date.now() - 1 };
      await assert.rejects(
        runForCall(call, () => db.stores.sessions.create(session)),
        (error) => code(error) === "deadline_exceeded",
      );
      assert.equal(await db.stores.sessions.findByKey(session.key), undefined);
    });

    it("should roll back, not commit, a transaction whose call ended before COMMIT", async () => {
      const session = newSession();
      const controller = new AbortController();
      const cancelled = new Error("the client cancelled");
      await assert.rejects(
        runForCall({ signal: controller.signal, deadline: Date.now() + 60_000 }, () =>
          db.stores.transaction(async (tx) => {
            await tx.sessions.create(session);
            controller.abort(cancelled);
          }),
        ),
        (error) => error === cancelled,
      );
      assert.equal(await db.stores.sessions.findByKey(session.key), undefined);
      // The connection is usable afterwards.
      await db.stores.sessions.create(session);
      assert.equal((await db.stores.sessions.findByKey(session.key))?.key, session.key);
    });

    it("should give up waiting for the database when the call's deadline passes, and run statements outside calls as before", async () => {
      // A transaction holds the connection (SQLite) or the session's row (MySQL) meanwhile.
      const session = newSession();
      await db.stores.sessions.create(session);
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = db.stores.transaction(async (tx) => {
        await tx.sessions.update(session.key, { displayName: "held" });
        locked();
        await holding;
      });
      await isLocked;
      try {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(new Error("deadline")), 300);
        await assert.rejects(
          runForCall({ signal: controller.signal, deadline: Date.now() + 300 }, () =>
            db.stores.transaction((tx) => tx.sessions.update(session.key, { displayName: "waiter" })),
          ),
          (error) => code(error) === "deadline_exceeded",
        );
        clearTimeout(timer);
      } finally {
        release();
        await holder;
      }
      assert.equal((await db.stores.sessions.findByKey(session.key))?.displayName, "held");
    });
  });
}
