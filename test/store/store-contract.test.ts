import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseIpRange } from "../../src/domain/ip-address.js";
import type { StoredSession } from "../../src/domain/session.js";
import type { SessionFilter } from "../../src/domain/session-filter.js";
import { grantTypes, tokenGrantTypes } from "../../src/domain/grant-types.js";
import { migrate } from "../../src/store/typeorm/migrate.js";
import { newGrant, newSession } from "../support/fixtures.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { schemaDrift } from "../support/schema-drift.js";

// The same contract runs unchanged against every backend.
for (const backend of await testBackends()) {
  describe(`store contract (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db?.drop();
    });

    describe("schema", () => {
      it("should match the entities exactly after the migrations", async () => {
        assert.deepEqual(await schemaDrift(db.database), []);
      });

      it("should apply no migration twice", async () => {
        assert.deepEqual(await migrate(db.database), []);
      });
    });

    describe("sessions", () => {
      const pksOf = (sessions: StoredSession[]) => sessions.map((s) => s.pk);

      it("should return what was created, with its clients and without the ticket", async () => {
        const input = newSession({ subjectId: "alice", clientIds: ["web", "api", "web"], displayName: "Alice Liddell" });
        const pk = await db.stores.sessions.create(input);
        const [session] = await db.stores.sessions.findPage({ sessionId: input.sessionId }, { direction: "forward" }, 10);
        assert.ok(session);
        assert.equal(session.pk, pk);
        assert.equal(session.key, input.key);
        assert.equal(session.scheme, "idsrv");
        assert.equal(session.subjectId, "alice");
        assert.equal(session.displayName, "Alice Liddell");
        assert.equal(session.issuer, input.issuer);
        assert.equal(session.created.getTime(), input.created.getTime());
        assert.equal(session.renewed.getTime(), input.renewed.getTime());
        assert.equal(session.expires?.getTime(), input.expires?.getTime());
        assert.deepEqual(session.clientIds, ["api", "web"]);
        assert.equal("ticket" in session, false);
      });

      it("should keep millisecond precision and leave absent optional fields absent", async () => {
        const created = new Date("2026-03-04T05:06:07.089Z");
        const input = newSession({ created, renewed: created, expires: undefined, sessionId: undefined, displayName: undefined, issuer: undefined, subjectId: "bare" });
        await db.stores.sessions.create(input);
        const [session] = await db.stores.sessions.findPage({ subjectId: "bare" }, { direction: "forward" }, 10);
        assert.ok(session);
        assert.equal(session.created.toISOString(), "2026-03-04T05:06:07.089Z");
        assert.equal(session.expires, undefined);
        assert.equal(session.sessionId, undefined);
        assert.equal(session.displayName, undefined);
        assert.equal(session.issuer, undefined);
      });

      it("should keep session metadata, and record a last-seen report only when it is news", async () => {
        const lastSeen = new Date("2026-05-01T10:00:00.000Z");
        const metadata = {
          signInIp: "2001:db8::7",
          signInUserAgent: "Firefox/145.0",
          lastSeenIp: "2001:db8::7",
          lastSeenUserAgent: "Firefox/145.0",
          lastSeen,
          amr: ["pwd", "otp"],
          acr: "urn:example:mfa",
          attributes: { device: "Laptop", "__proto__": "plain key" },
        };
        const input = newSession({ subjectId: "with-metadata", metadata });
        await db.stores.sessions.create(input);
        const read = async () => (await db.stores.sessions.findByKey(input.key))!.metadata;
        assert.deepEqual(await read(), metadata);
        await db.stores.sessions.update(input.key, { lastSeen: { ip: "2001:db8::7", at: new Date(lastSeen.getTime() + 59_999) } });
        assert.deepEqual((await read()).lastSeen, lastSeen);
        await db.stores.sessions.update(input.key, { lastSeen: { ip: "198.51.100.1", userAgent: "Safari/18", at: new Date(lastSeen.getTime() + 1000) } });
        const moved = await read();
        assert.deepEqual([moved.lastSeenIp, moved.lastSeenUserAgent, moved.lastSeen?.getTime(), moved.signInIp], ["198.51.100.1", "Safari/18", lastSeen.getTime() + 1000, "2001:db8::7"]);
        await db.stores.sessions.update(input.key, { amr: ["hwk"], acr: null, attributes: { values: { city: "Bern" }, replace: false } });
        const stepped = await read();
        assert.deepEqual([stepped.amr, stepped.acr, stepped.attributes], [["hwk"], undefined, { device: "Laptop", "__proto__": "plain key", city: "Bern" }]);
        const bare = newSession({ subjectId: "without-metadata" });
        await db.stores.sessions.create(bare);
        assert.deepEqual((await db.stores.sessions.findByKey(bare.key))!.metadata, { amr: [], attributes: {}, lastSeen: bare.created, signInIp: undefined, signInUserAgent: undefined, lastSeenIp: undefined, lastSeenUserAgent: undefined, acr: undefined });
      });

      it("should select by the newer filters on the same keyset walk", async () => {
        const subjectId = "newer-filters";
        const at = (day: number) => new Date(Date.UTC(2026, 4, day));
        const make = (day: number, ip: string, issuer: string, expires?: Date) =>
          newSession({ subjectId, issuer, created: at(day), renewed: at(day + 1), expires, metadata: { signInIp: ip, amr: [], attributes: {} } });
        const pks: number[] = [];
        for (const s of [
          make(1, "10.1.2.3", "https://a.example", at(3)),
          make(5, "10.1.9.9", "https://A.example", undefined),
          make(9, "2001:db8::1", "https://a.example", at(30)),
        ]) pks.push(await db.stores.sessions.create(s));
        const find = async (extra: Partial<SessionFilter>) =>
          pksOf(await db.stores.sessions.findPage({ subjectId, now: at(20), ...extra }, { direction: "forward" }, 10));
        assert.deepEqual(await find({ created: { from: at(2), to: at(9) } }), [pks[1]]);
        assert.deepEqual(await find({ renewed: { to: at(6) } }), [pks[0]]);
        assert.deepEqual(await find({ expires: { from: at(3) } }), [pks[0], pks[2]]);
        assert.deepEqual(await find({ state: "active" }), [pks[1], pks[2]]);
        assert.deepEqual(await find({ state: "expired" }), [pks[0]]);
        assert.deepEqual(await find({ issuer: "https://a.example" }), [pks[0], pks[2]]);
        assert.deepEqual(await find({ ipAddress: parseIpRange("ip", "10.1.0.0/16") }), [pks[0], pks[1]]);
        assert.deepEqual(await find({ ipAddress: parseIpRange("ip", "::ffff:10.1.9.9") }), [pks[1]]);
        assert.equal(await db.stores.sessions.count({ subjectId, ipAddress: parseIpRange("ip", "2001:db8::/32") }), 1);
        assert.equal(await db.stores.sessions.existsBeyond({ subjectId, issuer: "https://A.example" }, { direction: "backward", beforePk: pks[1]! }), false);
      });

      it("should reject a second session with the same key", async () => {
        const input = newSession();
        await db.stores.sessions.create(input);
        await assert.rejects(db.stores.sessions.create({ ...input, sessionId: "other" }));
      });

      it("should page forward and backward in insertion order", async () => {
        const subjectId = "pager";
        const pks: number[] = [];
        for (let i = 0; i < 7; i++) pks.push(await db.stores.sessions.create(newSession({ subjectId })));
        const filter = { subjectId };
        assert.deepEqual(pksOf(await db.stores.sessions.findPage(filter, { direction: "forward" }, 3)), pks.slice(0, 3));
        assert.deepEqual(pksOf(await db.stores.sessions.findPage(filter, { direction: "forward", afterPk: pks[2] }, 3)), pks.slice(3, 6));
        assert.deepEqual(pksOf(await db.stores.sessions.findPage(filter, { direction: "forward", afterPk: pks[5] }, 3)), pks.slice(6));
        assert.deepEqual(
          pksOf(await db.stores.sessions.findPage(filter, { direction: "backward", beforePk: pks[5]! }, 3)),
          [pks[4], pks[3], pks[2]],
        );
        assert.equal(await db.stores.sessions.existsBeyond(filter, { direction: "backward", beforePk: pks[0]! }), false);
        assert.equal(await db.stores.sessions.existsBeyond(filter, { direction: "backward", beforePk: pks[1]! }), true);
        assert.equal(await db.stores.sessions.existsBeyond(filter, { direction: "forward", afterPk: pks[6] }), false);
        assert.equal(await db.stores.sessions.count(filter), 7);
        assert.equal(await db.stores.sessions.count(filter, 5), 5);
        assert.equal(await db.stores.sessions.count(filter, 50), 7);
      });

      it("should match subject and session ids exactly: case, trailing spaces and wildcards count", async () => {
        for (const subjectId of ["Exact", "exact", "exact ", "ex%", "ex_ct"]) {
          await db.stores.sessions.create(newSession({ subjectId }));
        }
        const subjects = async (subjectId: string) =>
          (await db.stores.sessions.findPage({ subjectId }, { direction: "forward" }, 10)).map((s) => s.subjectId);
        assert.deepEqual(await subjects("exact"), ["exact"]);
        assert.deepEqual(await subjects("exact "), ["exact "]);
        assert.deepEqual(await subjects("ex%"), ["ex%"]);
        assert.deepEqual(await subjects("ex_ct"), ["ex_ct"]);
        assert.deepEqual(await subjects("ex"), []);
      });

      it("should match display names by case-insensitive prefix, with % and _ literal", async () => {
        const names = ["Zoë Ärger", "zoë ärger-smith", "ZOË", "Zo", "100% Zed", "100_ Zed", "1000 Zed", "Straße", "STRASSE"];
        const subjectId = "display";
        for (const displayName of names) await db.stores.sessions.create(newSession({ subjectId, displayName }));
        const matching = async (prefix: string) =>
          (await db.stores.sessions.findPage({ subjectId, displayNamePrefix: prefix }, { direction: "forward" }, 20)).map(
            (s) => s.displayName,
          );
        assert.deepEqual(await matching("zoë"), ["Zoë Ärger", "zoë ärger-smith", "ZOË"]);
        assert.deepEqual(await matching("ZOË ÄRGER"), ["Zoë Ärger", "zoë ärger-smith"]);
        assert.deepEqual(await matching("100%"), ["100% Zed"]);
        assert.deepEqual(await matching("100_"), ["100_ Zed"]);
        assert.deepEqual(await matching("straß"), ["Straße", "STRASSE"]);
        assert.deepEqual(await matching("%"), []);
        assert.equal(await db.stores.sessions.count({ subjectId, displayNamePrefix: "zo" }), 4);
      });

      it("should filter by client and combine every filter with AND", async () => {
        const a = await db.stores.sessions.create(newSession({ subjectId: "combo", displayName: "Carol", clientIds: ["c1", "c2"] }));
        const b = await db.stores.sessions.create(newSession({ subjectId: "combo", displayName: "Dave", clientIds: ["c2"] }));
        await db.stores.sessions.create(newSession({ subjectId: "other-combo", displayName: "Carol", clientIds: ["c1"] }));
        const find = async (filter: Parameters<typeof db.stores.sessions.findPage>[0]) =>
          pksOf(await db.stores.sessions.findPage(filter, { direction: "forward" }, 10));
        assert.deepEqual(await find({ subjectId: "combo", clientId: "c2" }), [a, b]);
        assert.deepEqual(await find({ subjectId: "combo", clientId: "c1" }), [a]);
        assert.deepEqual(await find({ subjectId: "combo", clientId: "c2", displayNamePrefix: "da" }), [b]);
        assert.deepEqual(await find({ subjectId: "combo", clientId: "c3" }), []);
        const [first] = await db.stores.sessions.findPage({ subjectId: "combo", clientId: "c1" }, { direction: "forward" }, 10);
        assert.deepEqual(first?.clientIds, ["c1", "c2"], "a client filter must not hide the session's other clients");
        assert.deepEqual(
          pksOf(await db.stores.sessions.findPage({ clientId: "c2", subjectId: "combo" }, { direction: "backward", beforePk: b }, 10)),
          [a],
        );
        assert.equal(await db.stores.sessions.count({ clientId: "c2", subjectId: "combo" }), 2);
      });

      it("should find sessions for termination with their clients, and delete them with their client links", async () => {
        const one = await db.stores.sessions.create(newSession({ subjectId: "leaving", sessionId: "sid-l1", clientIds: ["x", "y"], issuer: "https://iss" }));
        const two = await db.stores.sessions.create(newSession({ subjectId: "leaving", sessionId: "sid-l2", clientIds: [] }));
        const found = await db.stores.sessions.findForTermination({ subjectId: "leaving" });
        assert.deepEqual(found, [
          { pk: one, subjectId: "leaving", sessionId: "sid-l1", issuer: "https://iss", clientIds: ["x", "y"] },
          { pk: two, subjectId: "leaving", sessionId: "sid-l2", issuer: "https://idp.example.com", clientIds: [] },
        ]);
        assert.deepEqual(
          (await db.stores.sessions.findForTermination({ subjectId: "leaving", sessionId: "sid-l2" })).map((s) => s.pk),
          [two],
        );
        assert.equal(await db.stores.sessions.deleteByPks([one, two]), 2);
        assert.equal(await db.stores.sessions.deleteByPks([one, two]), 0);
        assert.equal(await db.stores.sessions.count({ clientId: "x" }), 0);
        const links = await db.stores.transaction((tx) => tx.sessions.findForTermination({ subjectId: "leaving" }));
        assert.deepEqual(links, []);
      });
    });

    describe("grants", () => {
      it("should store, replace by key, and find by filter", async () => {
        const grant = newGrant({ type: grantTypes.refreshToken, clientId: "app", subjectId: "g-sub", sessionId: "g-sid" });
        await db.stores.grants.store(grant);
        await db.stores.grants.store({ ...grant, data: Buffer.from("replaced"), consumedTime: new Date("2026-02-02T00:00:00.123Z") });
        const found = await db.stores.grants.findAll({ subjectId: "g-sub" });
        assert.equal(found.length, 1);
        assert.deepEqual(found[0]!.data, Buffer.from("replaced"));
        assert.equal(found[0]!.consumedTime?.toISOString(), "2026-02-02T00:00:00.123Z");
        assert.equal(found[0]!.sessionId, "g-sid");
      });

      it("should remove by subject, session, clients and types, and nothing else", async () => {
        const subjectId = "revoke-sub";
        const make = (type: (typeof tokenGrantTypes)[number] | "user_consent", clientId: string, sessionId?: string) =>
          db.stores.grants.store(newGrant({ type, clientId, subjectId, sessionId }));
        await make(grantTypes.refreshToken, "a", "s1");
        await make(grantTypes.referenceToken, "b", "s1");
        await make(grantTypes.authorizationCode, "a", "s2");
        await make(grantTypes.userConsent, "a");
        await make(grantTypes.userConsent, "b");
        await db.stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "a", subjectId: "bystander", sessionId: "s1" }));

        assert.equal(await db.stores.grants.removeAll({ subjectId, sessionId: "s1", clientIds: ["a"], types: tokenGrantTypes }), 1);
        assert.equal(await db.stores.grants.removeAll({ subjectId, types: [grantTypes.userConsent], clientIds: ["b"] }), 1);
        assert.equal(await db.stores.grants.removeAll({ subjectId, types: tokenGrantTypes }), 2);
        assert.equal(await db.stores.grants.removeAll({ subjectId, clientIds: [] }), 0);
        assert.deepEqual(
          (await db.stores.grants.findAll({ subjectId })).map((g) => [g.type, g.clientId]),
          [[grantTypes.userConsent, "a"]],
        );
        assert.equal((await db.stores.grants.findAll({ subjectId: "bystander" })).length, 1);
      });

      it("should refuse a filter without subject or session", async () => {
        await assert.rejects(db.stores.grants.removeAll({ clientIds: ["a"] }));
        await assert.rejects(db.stores.grants.findAll({ types: tokenGrantTypes }));
      });
    });

    describe("clients", () => {
      it("should create, replace and tell which clients can be notified", async () => {
        await db.stores.clients.put({ clientId: "rp-1", enabled: true, backchannelLogoutUri: "https://rp1/logout", backchannelLogoutSessionRequired: true });
        await db.stores.clients.put({ clientId: "rp-2", enabled: false, backchannelLogoutUri: "https://rp2/logout", backchannelLogoutSessionRequired: true });
        await db.stores.clients.put({ clientId: "rp-3", enabled: true, backchannelLogoutSessionRequired: false });
        assert.deepEqual(await db.stores.clients.findNotifiable(["rp-1", "rp-2", "rp-3", "unknown"]), new Set(["rp-1"]));
        await db.stores.clients.put({ clientId: "rp-2", enabled: true, backchannelLogoutUri: "https://rp2/v2", backchannelLogoutSessionRequired: false, logoutTokenType: "JWT" });
        assert.deepEqual(await db.stores.clients.get("rp-2"), {
          clientId: "rp-2",
          enabled: true,
          backchannelLogoutUri: "https://rp2/v2",
          backchannelLogoutSessionRequired: false,
          logoutTokenType: "JWT",
        });
        assert.equal((await db.stores.clients.get("rp-1"))?.logoutTokenType, undefined);
        assert.deepEqual(await db.stores.clients.findNotifiable(["rp-1", "rp-2"]), new Set(["rp-1", "rp-2"]));
        assert.equal(await db.stores.clients.get("missing"), undefined);
      });
    });

    describe("outbox", () => {
      it("should queue notifications as pending and due now", async () => {
        const now = new Date("2026-05-05T05:05:05.555Z");
        const queued = await db.stores.outbox.enqueue(
          [
            { clientId: "rp-1", subjectId: "ob", sessionId: "ob-sid", issuer: "https://iss", reason: "admin_removal" },
            { clientId: "rp-2", subjectId: "ob", reason: "expired" },
          ],
          now,
        );
        assert.equal(queued, 2);
        const rows = await db.stores.outbox.list({ subjectId: "ob" }, 10);
        assert.deepEqual(
          rows.map(({ id: _id, ...rest }) => rest),
          [
            { clientId: "rp-1", subjectId: "ob", sessionId: "ob-sid", issuer: "https://iss", reason: "admin_removal", status: "pending", attempts: 0, nextAttemptAt: now, created: now },
            { clientId: "rp-2", subjectId: "ob", sessionId: undefined, issuer: undefined, reason: "expired", status: "pending", attempts: 0, nextAttemptAt: now, created: now },
          ],
        );
        assert.equal(await db.stores.outbox.enqueue([], now), 0);
      });
    });

    describe("secrets", () => {
      it("should create a secret once and return the same one afterwards, even when asked concurrently", async () => {
        let generated = 0;
        const generate = () => Buffer.from(`secret-${++generated}`.padEnd(32, "x"));
        const values = await Promise.all([1, 2, 3].map(() => db.stores.secrets.getOrCreate("test-secret", generate)));
        assert.ok(values.every((v) => v.equals(values[0]!)));
        assert.deepEqual(await db.stores.secrets.getOrCreate("test-secret", generate), values[0]);
      });
    });

    describe("transactions", () => {
      it("should commit all writes together", async () => {
        await db.stores.transaction(async (tx) => {
          await tx.sessions.create(newSession({ subjectId: "tx-commit" }));
          await tx.outbox.enqueue([{ clientId: "c", subjectId: "tx-commit", reason: "admin_removal" }], new Date());
        });
        assert.equal(await db.stores.sessions.count({ subjectId: "tx-commit" }), 1);
        assert.equal((await db.stores.outbox.list({ subjectId: "tx-commit" }, 10)).length, 1);
      });

      it("should roll back every write when the work fails", async () => {
        await assert.rejects(
          db.stores.transaction(async (tx) => {
            await tx.sessions.create(newSession({ subjectId: "tx-rollback" }));
            await tx.outbox.enqueue([{ clientId: "c", subjectId: "tx-rollback", reason: "admin_removal" }], new Date());
            throw new Error("boom");
          }),
          /boom/,
        );
        assert.equal(await db.stores.sessions.count({ subjectId: "tx-rollback" }), 0);
        assert.deepEqual(await db.stores.outbox.list({ subjectId: "tx-rollback" }, 10), []);
      });

      it("should keep concurrent transactions and reads apart", async () => {
        const writes = Array.from({ length: 10 }, (_, i) =>
          db.stores.transaction(async (tx) => {
            await tx.sessions.create(newSession({ subjectId: "tx-concurrent", sessionId: `c-${i}` }));
            if (i % 2 === 0) throw new Error("rolled back");
          }),
        );
        const reads = Array.from({ length: 10 }, () => db.stores.sessions.count({ subjectId: "tx-concurrent" }));
        const outcomes = await Promise.allSettled([...writes, ...reads]);
        assert.equal(outcomes.filter((o) => o.status === "rejected").length, 5);
        for (const read of outcomes.slice(10)) {
          assert.equal(read.status, "fulfilled");
          assert.ok((read as PromiseFulfilledResult<number>).value <= 5);
        }
        assert.equal(await db.stores.sessions.count({ subjectId: "tx-concurrent" }), 5);
      });
    });
  });
}
