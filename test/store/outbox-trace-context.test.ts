import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Stores } from "../../src/store/stores.js";
import { createStores } from "../../src/store/typeorm/stores.js";
import { testBackends, type TestDatabase } from "../support/backends.js";

const readCommitted = { isolation: "read-committed" } as const;

for (const backend of await testBackends()) {
  describe(`outbox trace context, migration 0008 (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    let traced: Stores;
    let current: string | undefined;
    before(async () => {
      db = await backend.open();
      traced = createStores(db.database, { statement: (_sql, run) => run(), traceparent: () => current });
    });
    after(async () => {
      await db?.drop();
    });

    it("should keep the queuing call's traceparent with each row and hand it back with the claim", async () => {
      current = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
      await traced.outbox.enqueue([{ clientId: "rp-a", subjectId: "alice", reason: "admin_removal" }, { clientId: "rp-b", subjectId: "alice", reason: "admin_removal" }], new Date());
      current = undefined;
      await traced.outbox.enqueue([{ clientId: "rp-c", subjectId: "bob", reason: "expired" }], new Date());
      const claims = await traced.transaction((tx) => tx.outbox.claimDue(new Date(Date.now() + 1000), 10, 60_000), readCommitted);
      assert.deepEqual(
        claims.map((claim) => [claim.clientId, claim.traceContext]).sort(),
        [
          ["rp-a", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
          ["rp-b", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
          ["rp-c", undefined],
        ],
      );
    });

    it("should leave the column alone without tracing, queueing and claiming as before", async () => {
      await db.stores.outbox.enqueue([{ clientId: "rp-d", subjectId: "carol", reason: "expired" }], new Date());
      const claims = await db.stores.transaction((tx) => tx.outbox.claimDue(new Date(Date.now() + 1000), 10, 60_000, new Set(["rp-a", "rp-b", "rp-c"])), readCommitted);
      assert.deepEqual(claims.map((claim) => [claim.clientId, "traceContext" in claim]), [["rp-d", false]]);
    });
  });
}
