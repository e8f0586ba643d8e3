import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { grantTypes, tokenGrantTypes } from "../../src/domain/grant-types.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";

// The GrantStore operations behind the GrantStore service and the sweeper.
for (const backend of await testBackends()) {
  describe(`grant store, write side (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db?.drop();
    });

    it("should get a grant by key with its bytes intact, and remove it once", async () => {
      const grant = newGrant({ type: grantTypes.referenceToken, clientId: "api", subjectId: "g", description: "laptop", data: Buffer.from([0, 0xc3, 0x28, 0xff]) });
      await db.stores.grants.store(grant);
      assert.deepEqual(await db.stores.grants.get(grant.key), { ...grant, sessionId: undefined, expiration: undefined, consumedTime: undefined });
      assert.equal(await db.stores.grants.remove(grant.key), 1);
      assert.equal(await db.stores.grants.remove(grant.key), 0);
      assert.equal(await db.stores.grants.get(grant.key), undefined);
    });

    it("should page a filter's grants forward and backward in insertion order", async () => {
      const keys: string[] = [];
      for (let i = 0; i < 5; i++) {
        const grant = newGrant({ type: i === 2 ? grantTypes.userConsent : grantTypes.refreshToken, clientId: "web", subjectId: "pager" });
        await db.stores.grants.store(grant);
        keys.push(grant.key);
      }
      const filter = { subjectId: "pager", types: [grantTypes.refreshToken] };
      const first = await db.stores.grants.findPage(filter, { direction: "forward" }, 2);
      assert.deepEqual(first.map((g) => g.key), [keys[0], keys[1]]);
      const next = await db.stores.grants.findPage(filter, { direction: "forward", afterPk: first[1]!.pk }, 2);
      assert.deepEqual(next.map((g) => g.key), [keys[3], keys[4]]);
      const back = await db.stores.grants.findPage(filter, { direction: "backward", beforePk: next[0]!.pk }, 5);
      assert.deepEqual(back.map((g) => g.key), [keys[1], keys[0]]);
      assert.equal(await db.stores.grants.existsBeyond(filter, { direction: "forward", afterPk: next[1]!.pk }), false);
      assert.equal(await db.stores.grants.existsBeyond(filter, { direction: "backward", beforePk: next[0]!.pk }), true);
    });

    it("should remove only token grants bound to the given sessions, subject and session id both matching", async () => {
      const make = (type: (typeof tokenGrantTypes)[number] | "user_consent", subjectId: string, sessionId: string | undefined, clientId = "web") =>
        db.stores.grants.store(newGrant({ type, subjectId, sessionId, clientId }));
      await make(grantTypes.refreshToken, "bound-a", "sid-a");
      await make(grantTypes.authorizationCode, "bound-a", "sid-a", "api");
      await make(grantTypes.refreshToken, "bound-a", "sid-other");
      await make(grantTypes.refreshToken, "bound-a", undefined);
      await make(grantTypes.userConsent, "bound-a", "sid-a");
      await make(grantTypes.refreshToken, "bound-b", "sid-b");
      // Same session id, other subject: not bound to bound-b's session.
      await make(grantTypes.refreshToken, "intruder", "sid-b");

      const sessions = [
        { subjectId: "bound-a", sessionId: "sid-a" },
        { subjectId: "bound-b", sessionId: "sid-b" },
        { subjectId: "bound-c" },
      ];
      assert.equal(await db.stores.grants.removeBoundTo(sessions, tokenGrantTypes, ["api"]), 1);
      assert.equal(await db.stores.grants.removeBoundTo(sessions, tokenGrantTypes), 2);
      assert.equal(await db.stores.grants.removeBoundTo(sessions, tokenGrantTypes), 0);
      const left = async (subjectId: string) => (await db.stores.grants.findAll({ subjectId })).map((g) => `${g.type}:${g.sessionId ?? "-"}`).sort();
      assert.deepEqual(await left("bound-a"), ["refresh_token:-", "refresh_token:sid-other", "user_consent:sid-a"]);
      assert.deepEqual(await left("bound-b"), []);
      assert.deepEqual(await left("intruder"), ["refresh_token:sid-b"]);
    });

    it("should remove a terminated session's bound tokens and its subject's consents together, as the two removals would", async () => {
      const make = (type: (typeof tokenGrantTypes)[number] | "user_consent", subjectId: string, sessionId: string | undefined, clientId = "web") =>
        db.stores.grants.store(newGrant({ type, subjectId, sessionId, clientId }));
      await make(grantTypes.refreshToken, "ended-a", "sid-a");
      await make(grantTypes.referenceToken, "ended-a", "sid-a", "api");
      await make(grantTypes.refreshToken, "ended-a", "sid-kept");
      await make(grantTypes.refreshToken, "ended-a", undefined);
      await make(grantTypes.userConsent, "ended-a", undefined);
      await make(grantTypes.userConsent, "ended-a", undefined, "api");
      await make(grantTypes.userConsent, "ended-a", undefined, "other");
      await make(grantTypes.refreshToken, "ended-b", "sid-b", "api");
      await make(grantTypes.userConsent, "ended-b", undefined, "api");
      // Same session id, other subject: not bound to ended-b's session.
      await make(grantTypes.refreshToken, "bystander", "sid-b", "api");
      await make(grantTypes.userConsent, "bystander", undefined, "api");

      const sessions = [
        { subjectId: "ended-a", sessionId: "sid-a" },
        { subjectId: "ended-b", sessionId: "sid-b" },
        { subjectId: "ended-c" },
      ];
      const consents = [
        { subjectId: "ended-a", clientIds: ["web", "api"] },
        { subjectId: "ended-b", clientIds: [] },
      ];
      const left = async (subjectId: string) =>
        (await db.stores.grants.findAll({ subjectId })).map((g) => `${g.type}:${g.clientId}:${g.sessionId ?? "-"}`).sort();

      // Tokens of some clients only, no consents.
      assert.deepEqual(await db.stores.grants.removeOfSessions(sessions, { types: tokenGrantTypes, clientIds: ["api"] }, { subjects: consents, types: [] }), { tokens: 2, consents: 0 });
      assert.deepEqual(await db.stores.grants.removeOfSessions(sessions, { types: tokenGrantTypes }, { subjects: consents, types: [grantTypes.userConsent] }), { tokens: 1, consents: 2 });
      assert.deepEqual(await db.stores.grants.removeOfSessions(sessions, { types: tokenGrantTypes }, { subjects: consents, types: [grantTypes.userConsent] }), { tokens: 0, consents: 0 });
      assert.deepEqual(await left("ended-a"), ["refresh_token:web:-", "refresh_token:web:sid-kept", "user_consent:other:-"]);
      assert.deepEqual(await left("ended-b"), ["user_consent:api:-"]);
      assert.deepEqual(await left("bystander"), ["refresh_token:api:sid-b", "user_consent:api:-"]);
      // Every client of a subject when its consents list none.
      assert.deepEqual(await db.stores.grants.removeOfSessions([], { types: [] }, { subjects: [{ subjectId: "ended-a" }], types: [grantTypes.userConsent] }), { tokens: 0, consents: 1 });
    });

    it("should remove grants expired or consumed before a time, oldest first, a batch at a time", async () => {
      const at = (day: number) => new Date(Date.UTC(2020, 0, day));
      const store = (key: string, expiration?: Date, consumedTime?: Date) =>
        db.stores.grants.store(newGrant({ key, type: grantTypes.refreshToken, clientId: "web", subjectId: "stale", expiration, consumedTime }));
      await store("expired-3", at(3));
      await store("expired-1", at(1));
      await store("consumed-2", at(30), at(2));
      await store("fresh", at(30));
      await store("never", undefined);
      await store("consumed-later", undefined, at(20));
      const keys = async () => (await db.stores.grants.findAll({ subjectId: "stale" })).map((g) => g.key).sort();

      assert.equal(await db.stores.transaction((tx) => tx.grants.removeStale(at(10), 1)), 1);
      assert.deepEqual(await keys(), ["consumed-2", "consumed-later", "expired-3", "fresh", "never"]);
      assert.equal(await db.stores.transaction((tx) => tx.grants.removeStale(at(10), 5)), 2);
      assert.equal(await db.stores.transaction((tx) => tx.grants.removeStale(at(10), 5)), 0);
      assert.deepEqual(await keys(), ["consumed-later", "fresh", "never"]);
    });
  });
}
