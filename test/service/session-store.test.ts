import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { grantTypes } from "../../src/domain/grant-types.js";
import type { Stores } from "../../src/store/stores.js";
import { testBackends } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { callError, grpc, sessionManagementClient, sessionStoreClient, type CallError, type Message } from "../support/grpc-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

// connect-node percent-encodes the status message and grpc-js decodes it
// with decodeURI, which leaves reserved characters such as ":" encoded.
const detail = (error: CallError) => decodeURIComponent(error.details);
const seconds = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });
const iso = (timestamp: Message | null) => (timestamp ? new Date(Number(timestamp.seconds) * 1000 + timestamp.nanos / 1e6).toISOString() : null);

let sequence = 0;
/** A session as an identity provider sends it, with a unique key and sid. */
function idpSession(overrides: Message = {}): Message {
  sequence++;
  return {
    key: `idp-key-${sequence}`,
    scheme: "idsrv",
    subject_id: `idp-subject-${sequence}`,
    session_id: `idp-sid-${sequence}`,
    display_name: `Person ${sequence}`,
    issuer: "https://idp.example.com",
    created: seconds("2026-03-01T10:00:00Z"),
    expires: seconds("2099-03-01T10:00:00Z"),
    client_ids: [],
    ticket: Buffer.from(`ticket-${sequence}`),
    ...overrides,
  };
}

for (const backend of await testBackends()) {
  describe(`SessionStore over gRPC (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let store: ReturnType<typeof sessionStoreClient>;
    let stores: Stores;

    before(async () => {
      server = await startTestServer(backend);
      store = sessionStoreClient(server.port);
      stores = server.db.stores;
      await stores.clients.put({ clientId: "web", enabled: true, backchannelLogoutUri: "https://web.example/logout", backchannelLogoutSessionRequired: true });
      await stores.clients.put({ clientId: "api", enabled: true, backchannelLogoutUri: "https://api.example/logout", backchannelLogoutSessionRequired: true });
      await stores.clients.put({ clientId: "spa", enabled: true, backchannelLogoutUri: "https://spa.example/logout", backchannelLogoutSessionRequired: true });
    });
    after(async () => {
      store?.close();
      await server?.stop();
    });

    describe("CreateSession and GetSession", () => {
      it("should record a session and return it, ticket included, as created and as read", async () => {
        const input = idpSession({ client_ids: ["web", "api", "web"], ticket: Buffer.from([0, 1, 2, 0xff]) });
        const created = (await store.createSession({ session: input })).session;
        const read = (await store.getSession({ key: input.key })).session;
        for (const session of [created, read]) {
          assert.equal(session.key, input.key);
          assert.equal(session.scheme, "idsrv");
          assert.equal(session.subject_id, input.subject_id);
          assert.equal(session.session_id, input.session_id);
          assert.equal(session.display_name, input.display_name);
          assert.equal(session.issuer, "https://idp.example.com");
          assert.equal(iso(session.created), "2026-03-01T10:00:00.000Z");
          assert.equal(iso(session.renewed), "2026-03-01T10:00:00.000Z", "renewed defaults to created");
          assert.equal(iso(session.expires), "2099-03-01T10:00:00.000Z");
          assert.deepEqual(session.client_ids, ["api", "web"]);
          assert.deepEqual(session.ticket, Buffer.from([0, 1, 2, 0xff]));
        }
      });

      it("should default created to now and leave expires unset", async () => {
        const before = Date.now();
        const { session } = await store.createSession({ session: { key: `bare-${sequence++}`, subject_id: "bare" } });
        assert.ok(Date.parse(iso(session.created)!) >= before - 1000);
        assert.equal(session.expires, null);
        assert.equal(session.session_id, "");
      });

      it("should keep milliseconds and cut finer digits off", async () => {
        const input = idpSession({ created: { seconds: "1772359200", nanos: 123_999_999 } });
        const { session } = await store.createSession({ session: input });
        assert.deepEqual(session.created, { seconds: "1772359200", nanos: 123_000_000 });
      });

      it("should make the session visible to the admin API", async () => {
        const input = idpSession({ client_ids: ["web"] });
        await store.createSession({ session: input });
        const admin = sessionManagementClient(server.port);
        try {
          const [listed] = (await admin.querySessions({ session_id: input.session_id })).results as Message[];
          assert.equal(listed!.subject_id, input.subject_id);
          assert.deepEqual(listed!.client_ids, ["web"]);
        } finally {
          admin.close();
        }
      });

      it("should refuse a key that is already recorded with ALREADY_EXISTS, keeping the first", async () => {
        const input = idpSession();
        await store.createSession({ session: input });
        const error = await callError(store.createSession({ session: { ...input, subject_id: "someone-else" } }));
        assert.equal(error.code, grpc.status.ALREADY_EXISTS);
        assert.equal((await store.getSession({ key: input.key })).session.subject_id, input.subject_id);
      });

      it("should answer NOT_FOUND for a key that is not recorded", async () => {
        const error = await callError(store.getSession({ key: "never-recorded" }));
        assert.equal(error.code, grpc.status.NOT_FOUND);
        assert.match(detail(error), /^key: /);
      });

      it("should refuse bad input with INVALID_ARGUMENT naming the field", async () => {
        const cases: [Message, RegExp][] = [
          [{}, /^session\.key: must not be empty/],
          [{ session: { key: "k" } }, /^session\.subject_id: must not be empty/],
          [{ session: idpSession({ key: "x".repeat(201) }) }, /^session\.key: must be at most 200/],
          [{ session: idpSession({ client_ids: ["web", ""] }) }, /^session\.client_ids\[1\]: /],
          [{ session: idpSession({ expires: { seconds: "253402300800", nanos: 0 } }) }, /^session\.expires: must be a time between the years 1000 and 9999/],
          [{ session: idpSession({ display_name: "d".repeat(201) }) }, /^session\.display_name: must be at most 200/],
        ];
        for (const [request, message] of cases) {
          const error = await callError(store.createSession(request));
          assert.equal(error.code, grpc.status.INVALID_ARGUMENT, JSON.stringify(request).slice(0, 80));
          assert.match(detail(error), message);
        }
        assert.equal((await callError(store.getSession({ key: "" }))).code, grpc.status.INVALID_ARGUMENT);
      });

      it("should refuse an expiry before the creation time, naming the field and recording nothing", async () => {
        const early = idpSession({ created: seconds("2026-03-01T10:00:00Z"), expires: seconds("2026-03-01T09:59:59Z") });
        const error = await callError(store.createSession({ session: early }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.match(detail(error), /^session\.expires: must not be before created \(2026-03-01T10:00:00\.000Z\)/);
        assert.equal((await callError(store.getSession({ key: early.key }))).code, grpc.status.NOT_FOUND);
        // Without created, the session is created now: an expiry already past is before it.
        const { created: _created, ...withoutCreated } = idpSession({ expires: seconds("2026-01-01T00:00:00Z") });
        assert.match(detail(await callError(store.createSession({ session: withoutCreated }))), /^session\.expires: must not be before created/);
        // A session may expire the moment it was created.
        const instant = idpSession({ created: seconds("2026-03-01T10:00:00Z"), expires: seconds("2026-03-01T10:00:00Z") });
        assert.equal(iso((await store.createSession({ session: instant })).session.expires), "2026-03-01T10:00:00.000Z");
      });
    });

    describe("UpdateSession", () => {
      it("should renew, extend, add clients and replace the ticket, leaving the rest as it was", async () => {
        const input = idpSession({ client_ids: ["web"] });
        await store.createSession({ session: input });
        const { session } = await store.updateSession({
          key: input.key,
          renewed: seconds("2026-03-01T11:00:00Z"),
          expires: seconds("2099-03-02T11:00:00Z"),
          client_ids: ["api"],
          ticket: Buffer.from("renewed-ticket"),
        });
        assert.equal(iso(session.renewed), "2026-03-01T11:00:00.000Z");
        assert.equal(iso(session.expires), "2099-03-02T11:00:00.000Z");
        assert.equal(iso(session.created), "2026-03-01T10:00:00.000Z");
        assert.deepEqual(session.client_ids, ["api", "web"]);
        assert.equal(session.ticket.toString(), "renewed-ticket");
        assert.equal(session.display_name, input.display_name);
        assert.deepEqual((await store.getSession({ key: input.key })).session, session);
      });

      it("should replace the clients, clear the expiry and change the display name", async () => {
        const input = idpSession({ client_ids: ["web", "api"] });
        await store.createSession({ session: input });
        const { session } = await store.updateSession({ key: input.key, client_ids: ["spa"], replace_client_ids: true, clear_expires: true, display_name: "Renamed" });
        assert.deepEqual(session.client_ids, ["spa"]);
        assert.equal(session.expires, null);
        assert.equal(session.display_name, "Renamed");
        assert.equal(session.ticket.toString(), input.ticket.toString());
      });

      it("should answer NOT_FOUND for a key that is not recorded, and refuse contradictions", async () => {
        assert.equal((await callError(store.updateSession({ key: "never-recorded", client_ids: ["web"] }))).code, grpc.status.NOT_FOUND);
        const input = idpSession();
        await store.createSession({ session: input });
        const error = await callError(store.updateSession({ key: input.key, expires: seconds("2099-01-01T00:00:00Z"), clear_expires: true }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.match(detail(error), /^expires: /);
        const bad = await callError(store.updateSession({ key: input.key, renewed: { seconds: "1", nanos: 1_000_000_000 } }));
        assert.equal(bad.code, grpc.status.INVALID_ARGUMENT);
        assert.match(detail(bad), /^renewed: nanos/);
      });

      it("should refuse to move the expiry before the recorded creation time, changing nothing", async () => {
        const input = idpSession({ client_ids: ["web"] });
        const { session: before } = await store.createSession({ session: input });
        const error = await callError(
          store.updateSession({ key: input.key, expires: seconds("2026-03-01T09:00:00Z"), renewed: seconds("2026-03-01T10:30:00Z"), client_ids: ["api"], display_name: "Changed" }),
        );
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.match(detail(error), /^expires: must not be before created \(2026-03-01T10:00:00\.000Z\)/);
        assert.deepEqual((await store.getSession({ key: input.key })).session, before);
      });
    });

    describe("session metadata", () => {
      const metadata = {
        sign_in_ip_address: "::FFFF:198.51.100.23",
        sign_in_user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        authentication_methods: ["pwd", "otp"],
        authentication_context_class: "urn:example:mfa",
        attributes: { device: "Work laptop", asn: "AS64496" },
      };

      it("should record it canonically, the last-seen values defaulting to the sign-in ones", async () => {
        const input = idpSession({ metadata });
        const { session } = await store.createSession({ session: input });
        assert.equal(session.metadata.sign_in_ip_address, "198.51.100.23");
        assert.equal(session.metadata.last_seen_ip_address, "198.51.100.23");
        assert.equal(session.metadata.last_seen_user_agent, metadata.sign_in_user_agent);
        assert.equal(iso(session.metadata.last_seen_time), "2026-03-01T10:00:00.000Z");
        assert.deepEqual(session.metadata.authentication_methods, ["pwd", "otp"]);
        assert.equal(session.metadata.authentication_context_class, "urn:example:mfa");
        assert.deepEqual(session.metadata.attributes, { asn: "AS64496", device: "Work laptop" });
        assert.deepEqual((await store.getSession({ key: input.key })).session, session);
      });

      it("should write a last-seen report only when the address or agent changed or a minute passed", async () => {
        const input = idpSession({ metadata });
        await store.createSession({ session: input });
        const seen = async (report: Message) => (await store.updateSession({ key: input.key, ...report })).session.metadata;
        const dropped = await seen({ last_seen_ip_address: "198.51.100.23", last_seen_time: seconds("2026-03-01T10:00:59Z") });
        assert.equal(iso(dropped.last_seen_time), "2026-03-01T10:00:00.000Z");
        const moved = await seen({ last_seen_ip_address: "2001:DB8::1", last_seen_user_agent: "Safari/18", last_seen_time: seconds("2026-03-01T10:00:30Z") });
        assert.deepEqual([moved.last_seen_ip_address, moved.last_seen_user_agent, iso(moved.last_seen_time)], ["2001:db8::1", "Safari/18", "2026-03-01T10:00:30.000Z"]);
        assert.equal(moved.sign_in_ip_address, "198.51.100.23");
        const later = await seen({ last_seen_ip_address: "2001:db8::1", last_seen_time: seconds("2026-03-01T10:01:30Z") });
        assert.equal(iso(later.last_seen_time), "2026-03-01T10:01:30.000Z");
        const earlier = await seen({ last_seen_ip_address: "203.0.113.1", last_seen_time: seconds("2026-03-01T10:01:00Z") });
        assert.equal(earlier.last_seen_ip_address, "2001:db8::1");
      });

      it("should replace amr and acr on a step-up, and add to or replace the attributes", async () => {
        const input = idpSession({ metadata });
        await store.createSession({ session: input });
        const stepUp = await store.updateSession({ key: input.key, authentication_methods: ["pwd", "hwk"], authentication_context_class: "urn:example:phr", attributes: { device: "Phone" } });
        assert.deepEqual(stepUp.session.metadata.authentication_methods, ["pwd", "hwk"]);
        assert.equal(stepUp.session.metadata.authentication_context_class, "urn:example:phr");
        assert.deepEqual(stepUp.session.metadata.attributes, { asn: "AS64496", device: "Phone" });
        const replaced = await store.updateSession({ key: input.key, attributes: { city: "Bern" }, replace_attributes: true, authentication_context_class: "" });
        assert.deepEqual(replaced.session.metadata.attributes, { city: "Bern" });
        assert.equal(replaced.session.metadata.authentication_context_class, "");
        const many = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, "v"]));
        const error = await callError(store.updateSession({ key: input.key, attributes: many, display_name: "Changed" }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.match(detail(error), /^attributes: /);
        assert.deepEqual((await store.getSession({ key: input.key })).session, replaced.session);
      });

      it("should refuse bad metadata with INVALID_ARGUMENT naming the field, recording nothing", async () => {
        const cases: [Message, string][] = [
          [{ sign_in_ip_address: "198.51.100.300" }, "session.metadata.sign_in_ip_address"],
          [{ last_seen_ip_address: "198.51.100.0/24" }, "session.metadata.last_seen_ip_address"],
          [{ sign_in_user_agent: "x".repeat(513) }, "session.metadata.sign_in_user_agent"],
          [{ last_seen_user_agent: "Firefox\nX-Forged: 1" }, "session.metadata.last_seen_user_agent"],
          [{ authentication_methods: Array.from({ length: 17 }, (_, i) => `m${i}`) }, "session.metadata.authentication_methods"],
          [{ authentication_context_class: "a\u0000b" }, "session.metadata.authentication_context_class"],
          [{ attributes: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, "session.metadata.attributes"],
          [{ attributes: { note: "v".repeat(257) } }, "session.metadata.attributes"],
        ];
        for (const [bad, field] of cases) {
          const input = idpSession({ metadata: bad });
          const error = await callError(store.createSession({ session: input }));
          assert.equal(error.code, grpc.status.INVALID_ARGUMENT, field);
          assert.ok(detail(error).startsWith(`${field}`), `${field}: ${detail(error)}`);
          assert.equal((await callError(store.getSession({ key: input.key }))).code, grpc.status.NOT_FOUND);
        }
        const input = idpSession();
        await store.createSession({ session: input });
        const error = await callError(store.updateSession({ key: input.key, last_seen_ip_address: "localhost" }));
        assert.match(detail(error), /^last_seen_ip_address: /);
      });
    });

    describe("GetSessions", () => {
      it("should page a subject's sessions with their tickets, forward and back", async () => {
        const subject = "paged-subject";
        const keys: string[] = [];
        for (let i = 0; i < 5; i++) {
          const input = idpSession({ subject_id: subject });
          keys.push(input.key);
          await store.createSession({ session: input });
        }
        const first = await store.getSessions({ subject_id: subject, count_requested: 2 });
        assert.deepEqual(first.results.map((s: Message) => s.key), keys.slice(0, 2));
        assert.ok(first.results.every((s: Message) => s.ticket.length > 0));
        assert.deepEqual([first.has_prev_results, first.has_next_results], [false, true]);
        const second = await store.getSessions({ subject_id: subject, count_requested: 2, results_token: first.results_token });
        assert.deepEqual(second.results.map((s: Message) => s.key), keys.slice(2, 4));
        const back = await store.getSessions({ subject_id: subject, count_requested: 2, results_token: second.results_token, request_prior_results: true });
        assert.deepEqual(back.results.map((s: Message) => s.key), keys.slice(0, 2));
        const bySid = await store.getSessions({ session_id: (await store.getSession({ key: keys[4] })).session.session_id });
        assert.deepEqual(bySid.results.map((s: Message) => s.key), [keys[4]]);
      });

      it("should refuse an empty filter, a token for another filter, and QuerySessions tokens", async () => {
        assert.match(detail(await callError(store.getSessions({}))), /^subject_id: subject_id or session_id is required/);
        const first = await store.getSessions({ subject_id: "paged-subject", count_requested: 1 });
        const foreign = await callError(store.getSessions({ subject_id: "other", count_requested: 1, results_token: first.results_token }));
        assert.equal(foreign.code, grpc.status.INVALID_ARGUMENT);
        assert.match(detail(foreign), /^results_token: was issued for a different filter/);
        const admin = sessionManagementClient(server.port);
        try {
          const adminToken = (await admin.querySessions({ subject_id: "paged-subject", count_requested: 1 })).results_token;
          assert.match(detail(await callError(store.getSessions({ subject_id: "paged-subject", count_requested: 1, results_token: adminToken }))), /^results_token: /);
        } finally {
          admin.close();
        }
      });

      it("should serve at most 100 sessions per page", async () => {
        const subject = "many-sessions";
        for (let i = 0; i < 101; i++) await store.createSession({ session: idpSession({ subject_id: subject }) });
        const page = await store.getSessions({ subject_id: subject, count_requested: 1000 });
        assert.equal(page.results.length, 100);
        assert.equal(page.has_next_results, true);
      });
    });

    describe("DeleteSession and DeleteSessions", () => {
      const outboxOf = async (subjectId: string) =>
        (await stores.outbox.list({ subjectId }, 100)).map((n) => `${n.sessionId}:${n.clientId}:${n.reason}`).sort();

      it("should delete by key and succeed again for a key that is gone, touching nothing else", async () => {
        const input = idpSession({ client_ids: ["web"] });
        await store.createSession({ session: input });
        await stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "web", subjectId: input.subject_id, sessionId: input.session_id }));
        assert.deepEqual(await store.deleteSession({ key: input.key }), { sessions_removed: 1, tokens_revoked: 0, notifications_queued: 0 });
        assert.deepEqual(await store.deleteSession({ key: input.key }), { sessions_removed: 0, tokens_revoked: 0, notifications_queued: 0 });
        assert.equal((await callError(store.getSession({ key: input.key }))).code, grpc.status.NOT_FOUND);
        assert.equal((await stores.grants.findAll({ subjectId: input.subject_id })).length, 1);
        assert.deepEqual(await outboxOf(input.subject_id), []);
      });

      it("should, as a user logout, revoke the session's tokens and notify its other clients with reason user_logout", async () => {
        const input = idpSession({ client_ids: ["web", "api", "spa"] });
        const other = idpSession({ subject_id: input.subject_id, client_ids: ["web"] });
        await store.createSession({ session: input });
        await store.createSession({ session: other });
        const grant = (type: typeof grantTypes.refreshToken | typeof grantTypes.userConsent, clientId: string, sessionId?: string) =>
          stores.grants.store(newGrant({ type, clientId, subjectId: input.subject_id, sessionId }));
        await grant(grantTypes.refreshToken, "web", input.session_id);
        await grant(grantTypes.refreshToken, "api", input.session_id);
        await grant(grantTypes.refreshToken, "web", other.session_id);
        await grant(grantTypes.userConsent, "web");

        const outcome = await store.deleteSession({ key: input.key, revoke_tokens: true, send_backchannel_logout_notification: true, initiating_client_id: "web" });
        assert.deepEqual(outcome, { sessions_removed: 1, tokens_revoked: 2, notifications_queued: 2 });
        assert.deepEqual(await outboxOf(input.subject_id), [`${input.session_id}:api:user_logout`, `${input.session_id}:spa:user_logout`]);
        // The subject's other session, its tokens and the consent stay.
        assert.deepEqual(
          (await stores.grants.findAll({ subjectId: input.subject_id })).map((g) => `${g.type}:${g.sessionId ?? "-"}`).sort(),
          [`refresh_token:${other.session_id}`, "user_consent:-"],
        );
        assert.equal((await store.getSession({ key: other.key })).session.key, other.key);
      });

      it("should delete every session of a subject as one logout, listing their session ids", async () => {
        const a = idpSession({ client_ids: ["web"] });
        const b = idpSession({ subject_id: a.subject_id, client_ids: ["api"] });
        await store.createSession({ session: a });
        await store.createSession({ session: b });
        await stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "web", subjectId: a.subject_id, sessionId: a.session_id }));
        const outcome = await store.deleteSessions({ subject_id: a.subject_id, revoke_tokens: true, send_backchannel_logout_notification: true });
        assert.equal(outcome.sessions_removed, 2);
        assert.equal(outcome.tokens_revoked, 1);
        assert.equal(outcome.notifications_queued, 2);
        assert.deepEqual(outcome.session_ids, [a.session_id, b.session_id]);
        assert.deepEqual(await outboxOf(a.subject_id), [`${a.session_id}:web:user_logout`, `${b.session_id}:api:user_logout`].sort());
        assert.deepEqual((await store.deleteSessions({ subject_id: a.subject_id })).sessions_removed, 0);
      });

      it("should refuse a deletion without key or without subject and session id", async () => {
        assert.match(detail(await callError(store.deleteSession({}))), /^key: must not be empty/);
        const error = await callError(store.deleteSessions({ revoke_tokens: true }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.match(detail(error), /^subject_id: subject_id or session_id is required/);
      });
    });
  });
}
