import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { grantTypes } from "../../src/domain/grant-types.js";
import { parseRemovalRequest } from "../../src/domain/removal-request.js";
import { terminateSessions } from "../../src/service/terminate-sessions.js";
import type { StoreSet, Stores } from "../../src/store/stores.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { createSessions } from "../support/seed-sessions.js";

for (const backend of await testBackends()) {
  describe(`terminateSessions() (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
      await db.stores.clients.put({ clientId: "rp", enabled: true, backchannelLogoutUri: "https://rp/logout", backchannelLogoutSessionRequired: true });
    });
    after(async () => {
      await db?.drop();
    });

    const world = async (subjectId: string) => {
      await createSessions(db.stores, [
        { subjectId, sessionId: `${subjectId}-1`, clientIds: ["rp"] },
        { subjectId, sessionId: `${subjectId}-2`, clientIds: ["rp"] },
      ]);
      await db.stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "rp", subjectId, sessionId: `${subjectId}-1` }));
      await db.stores.grants.store(newGrant({ type: grantTypes.userConsent, clientId: "rp", subjectId }));
    };
    const state = async (subjectId: string) => ({
      sessions: await db.stores.sessions.count({ subjectId }),
      grants: (await db.stores.grants.findAll({ subjectId })).length,
      outbox: (await db.stores.outbox.list({ subjectId }, 100)).length,
    });

    it("should commit nothing when any step fails, even the last", async () => {
      await world("atomic");
      const before = await state("atomic");
      // The real stores, except that deleting the session records fails after
      // grants were revoked and notifications written in the same transaction.
      const failing: Pick<Stores, "transaction"> = {
        transaction: (work) =>
          db.stores.transaction((tx: StoreSet) =>
            work({
              ...tx,
              sessions: {
                ...tx.sessions,
                deleteByPks: async () => {
                  throw new Error("disk full");
                },
              },
            }),
          ),
      };
      const request = parseRemovalRequest({ subjectId: "atomic", sessionId: "", clientIds: [] });
      await assert.rejects(terminateSessions(failing, request, "admin_removal", new Date()), /disk full/);
      assert.deepEqual(await state("atomic"), before);
      assert.deepEqual(before, { sessions: 2, grants: 2, outbox: 0 });
    });

    it("should give each concurrent removal of the same subject a consistent share", async () => {
      await world("race");
      const request = parseRemovalRequest({ subjectId: "race", sessionId: "", clientIds: [] });
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () => terminateSessions(db.stores, request, "admin_removal", new Date())),
      );
      assert.equal(outcomes.reduce((n, o) => n + o.sessionsRemoved, 0), 2);
      assert.equal(outcomes.reduce((n, o) => n + o.notificationsQueued, 0), 2);
      assert.equal(outcomes.reduce((n, o) => n + o.tokensRevoked + o.consentsRevoked, 0), 2);
      assert.deepEqual(await state("race"), { sessions: 0, grants: 0, outbox: 2 });
    });

    it("should record the termination reason on every notification", async () => {
      await world("expiring");
      const request = parseRemovalRequest({ subjectId: "expiring", sessionId: "", clientIds: [] });
      await terminateSessions(db.stores, request, "expired", new Date());
      const reasons = (await db.stores.outbox.list({ subjectId: "expiring" }, 10)).map((n) => n.reason);
      assert.deepEqual(reasons, ["expired", "expired"]);
    });
  });
}
