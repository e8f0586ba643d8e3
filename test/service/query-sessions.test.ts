import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import { callError, grpc, has, sessionManagementClient, type Message, type SessionManagementClient } from "../support/grpc-client.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";

const sids = (response: Message) => (response.results as Message[]).map((s) => s.session_id as string);

for (const backend of await testBackends()) {
  describe(`QuerySessions over gRPC (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let client: SessionManagementClient;
    let allSids: string[];

    before(async () => {
      server = await startTestServer(backend);
      client = sessionManagementClient(server.port);
      const created = await createSessions(
        server.db.stores,
        Array.from({ length: 23 }, (_, i) => ({
          subjectId: `user-${i % 3}`,
          sessionId: `sid-${String(i).padStart(2, "0")}`,
          displayName: ["Bob Smith", "bob jones", "Alice 100%", "Alice 100_x"][i % 4],
          clientIds: i % 2 === 0 ? ["web", "mobile"] : ["web"],
        })),
      );
      allSids = created.map((s) => s.sessionId!);
    });
    after(async () => {
      client?.close();
      await server?.stop();
    });

    it("should return the first page in the order the sessions were recorded, with totals", async () => {
      const response = await client.querySessions({ count_requested: 5 });
      assert.deepEqual(sids(response), allSids.slice(0, 5));
      assert.equal(response.has_prev_results, false);
      assert.equal(response.has_next_results, true);
      assert.equal(response.total_count, 23);
      assert.equal(response.total_pages, 5);
      assert.equal(response.current_page, 1);
      assert.equal(response.total_count_is_estimate, false);
      assert.ok(has(response, "total_count") && has(response, "total_pages") && has(response, "current_page"));
      assert.notEqual(response.results_token, "");
    });

    it("should return sessions in the order they were recorded, whatever their created time says", async () => {
      // Recorded newest-created first, as an import of existing sessions or a
      // clock step back on the identity provider would.
      const day = 86_400_000;
      const recorded = await createSessions(
        server.db.stores,
        [3, 1, 2].map((n) => ({ subjectId: "imported", sessionId: `imported-${n}`, created: new Date(Date.UTC(2026, 0, 1) + n * day) })),
      );
      const seen: string[] = [];
      let page = await client.querySessions({ subject_id: "imported", count_requested: 2 });
      seen.push(...sids(page));
      while (page.has_next_results) {
        page = await client.querySessions({ subject_id: "imported", count_requested: 2, results_token: page.results_token });
        seen.push(...sids(page));
      }
      assert.deepEqual(seen, recorded.map((s) => s.sessionId));
      assert.deepEqual(seen, ["imported-3", "imported-1", "imported-2"]);
      await server.db.stores.transaction(async (tx) => {
        await tx.sessions.deleteByPks((await tx.sessions.findForTermination({ subjectId: "imported" })).map((s) => s.pk));
      });
    });

    it("should map every session field and never return the ticket", async () => {
      const [session] = (await client.querySessions({ session_id: "sid-00" })).results as Message[];
      assert.equal(session!.subject_id, "user-0");
      assert.equal(session!.session_id, "sid-00");
      assert.equal(session!.display_name, "Bob Smith");
      assert.equal(session!.issuer, "https://idp.example.com");
      assert.deepEqual(session!.client_ids, ["mobile", "web"]);
      assert.ok(Number(session!.created.seconds) > 1_700_000_000);
      assert.ok(Number(session!.expires.seconds) > Number(session!.created.seconds));
      assert.equal(Object.keys(session!).some((k) => /ticket/i.test(k)), false);
    });

    it("should filter by time ranges, state, issuer and sign-in address, walk newest first, and return the metadata", async () => {
      const now = Date.now();
      const hour = 3_600_000;
      const at = (hours: number) => new Date(now + hours * hour);
      const ts = (d: Date) => ({ seconds: String(Math.floor(d.getTime() / 1000)), nanos: 0 });
      const metadata = (ip: string) => ({
        signInIp: ip,
        signInUserAgent: "Mozilla/5.0 Firefox/140.0",
        lastSeenIp: ip,
        lastSeenUserAgent: "Mozilla/5.0 Firefox/140.0",
        lastSeen: at(-1),
        amr: ["pwd", "otp"],
        acr: "urn:example:mfa",
        attributes: { device: "Laptop", country: "CH" },
      });
      const made = await createSessions(server.db.stores, [
        { subjectId: "meta", sessionId: "meta-1", issuer: "https://meta.example", created: at(-30), renewed: at(-29), expires: at(-2), metadata: metadata("203.0.113.7") },
        { subjectId: "meta", sessionId: "meta-2", issuer: "https://META.example", created: at(-20), renewed: at(-3), expires: at(5), metadata: metadata("2001:db8::7") },
        { subjectId: "meta", sessionId: "meta-3", issuer: "https://meta.example", created: at(-10), renewed: at(-1), expires: undefined, metadata: metadata("203.0.113.200") },
      ]);
      const query = async (filter: Message) => sids(await client.querySessions({ subject_id: "meta", ...filter }));
      assert.deepEqual(await query({ order: "SESSION_ORDER_NEWEST_FIRST" }), ["meta-3", "meta-2", "meta-1"]);
      assert.deepEqual(await query({ created: { from: ts(at(-25)) } }), ["meta-2", "meta-3"]);
      assert.deepEqual(await query({ created: { to: ts(at(-20)) } }), ["meta-1"]);
      assert.deepEqual(await query({ renewed: { from: ts(at(-4)), to: ts(at(-1)) } }), ["meta-2"]);
      assert.deepEqual(await query({ expires: { from: ts(at(0)) } }), ["meta-2"]);
      assert.deepEqual(await query({ state: "SESSION_STATE_ACTIVE" }), ["meta-2", "meta-3"]);
      assert.deepEqual(await query({ state: "SESSION_STATE_EXPIRED" }), ["meta-1"]);
      assert.deepEqual(await query({ issuer: "https://meta.example" }), ["meta-1", "meta-3"]);
      assert.deepEqual(await query({ ip_address: "203.0.113.0/24", order: "SESSION_ORDER_NEWEST_FIRST" }), ["meta-3", "meta-1"]);
      assert.deepEqual(await query({ ip_address: "::ffff:203.0.113.7" }), ["meta-1"]);
      assert.deepEqual(await query({ ip_address: "2001:db8::/32", state: "SESSION_STATE_ACTIVE", issuer: "https://META.example" }), ["meta-2"]);

      const [expired, active] = (await client.querySessions({ subject_id: "meta", count_requested: 2 })).results as Message[];
      assert.equal(expired!.expired, true);
      assert.equal(active!.expired, false);
      assert.equal(expired!.metadata.sign_in_ip_address, "203.0.113.7");
      assert.equal(active!.metadata.last_seen_ip_address, "2001:db8::7");
      assert.equal(expired!.metadata.sign_in_user_agent, "Mozilla/5.0 Firefox/140.0");
      assert.deepEqual(expired!.metadata.authentication_methods, ["pwd", "otp"]);
      assert.equal(expired!.metadata.authentication_context_class, "urn:example:mfa");
      assert.deepEqual(expired!.metadata.attributes, { country: "CH", device: "Laptop" });
      assert.equal(Number(expired!.metadata.last_seen_time.seconds), Math.floor(at(-1).getTime() / 1000));
      await server.db.stores.transaction(async (tx) => {
        await tx.sessions.deleteByPks((await tx.sessions.findForTermination({ subjectId: "meta" })).map((s) => s.pk));
      });
      assert.equal(made.length, 3);
    });

    it("should walk a time range alone in that time's order, ties in recording order, both ways, with tokens bound to the range", async () => {
      // Created (and expiring) in 2001, recorded out of that order, with ties:
      // a range alone walks the time's index, not recording order.
      const base = Date.UTC(2001, 0, 1);
      const minute = 60_000;
      const minutes = [3, 1, 2, 1, 3, 0, 2, 1];
      const made = await createSessions(
        server.db.stores,
        minutes.map((m, i) => {
          const at = new Date(base + m * minute);
          return { subjectId: `ranged-${i}`, sessionId: `ranged-${i}`, created: at, renewed: at, expires: new Date(at.getTime() + minute) };
        }),
      );
      const ts = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: 0 });
      const year = { from: ts(base), to: ts(Date.UTC(2002, 0, 1)) };
      const byTime = minutes.map((m, i) => ({ m, i })).sort((a, b) => a.m - b.m || a.i - b.i).map(({ i }) => `ranged-${i}`);
      const walkAll = async (filter: Message, order: string) => {
        const request = { ...filter, order, count_requested: 3 };
        const pages: string[][] = [];
        let page = await client.querySessions(request);
        pages.push(sids(page));
        while (page.has_next_results) {
          page = await client.querySessions({ ...request, results_token: page.results_token });
          pages.push(sids(page));
        }
        const back: string[][] = [sids(page)];
        while (page.has_prev_results) {
          page = await client.querySessions({ ...request, results_token: page.results_token, request_prior_results: true });
          back.unshift(sids(page));
        }
        assert.deepEqual(back, pages, `${JSON.stringify(filter)} ${order}: back through the same pages`);
        return pages.flat();
      };
      for (const filter of [{ created: year }, { expires: year, state: "SESSION_STATE_EXPIRED" }, { renewed: { to: ts(Date.UTC(2002, 0, 1)) } }]) {
        assert.deepEqual(await walkAll(filter, "SESSION_ORDER_OLDEST_FIRST"), byTime, JSON.stringify(filter));
        assert.deepEqual(await walkAll(filter, "SESSION_ORDER_NEWEST_FIRST"), [...byTime].reverse(), JSON.stringify(filter));
      }
      // With a filter that pins few sessions, recording order as always.
      assert.deepEqual(sids(await client.querySessions({ subject_id: "ranged-1", created: year })), ["ranged-1"]);

      const { results_token: token } = await client.querySessions({ created: year, count_requested: 3 });
      assert.equal((await client.querySessions({ created: year, count_requested: 3, results_token: token })).current_page, 2);
      for (const request of [
        { renewed: year, count_requested: 3, results_token: token },
        { created: { from: year.from }, count_requested: 3, results_token: token },
        { created: year, count_requested: 3, order: "SESSION_ORDER_NEWEST_FIRST", results_token: token },
        { created: year, issuer: "https://idp.example", count_requested: 3, results_token: token },
        { created: year, renewed: year, count_requested: 3, results_token: token },
        { created: year, count_requested: 4, results_token: token },
        { count_requested: 3, results_token: token },
      ]) {
        const error = await callError(client.querySessions(request)).catch((e: Error) => assert.fail(`${JSON.stringify(request)}: ${e.message}`));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT, JSON.stringify(request));
        assert.match(error.details, /^results_token: was issued for a different filter/, JSON.stringify(request));
      }
      await server.db.stores.transaction(async (tx) => {
        const pks = [];
        for (const session of made) pks.push(...(await tx.sessions.findForTermination({ subjectId: session.subjectId })).map((s) => s.pk));
        await tx.sessions.deleteByPks(pks);
      });
    });

    it("should reject malformed new filters, unknown orders and states, and tokens reused with a changed one, naming the field", async () => {
      const ts = (seconds: number) => ({ seconds: String(seconds), nanos: 0 });
      const cases: [Message, string][] = [
        [{ created: { from: ts(2_000_000_000), to: ts(1_900_000_000) } }, "created.from"],
        [{ renewed: { from: ts(2_000_000_000), to: ts(1_000_000_000) } }, "renewed.from"],
        [{ expires: { from: ts(-99_999_999_999) } }, "expires.from"],
        [{ order: 7 }, "order"],
        [{ state: 9 }, "state"],
        [{ ip_address: "10.0.0.1/33" }, "ip_address"],
        [{ ip_address: "10.0.0.1/8" }, "ip_address"],
        [{ ip_address: "not-an-address" }, "ip_address"],
        [{ issuer: "x".repeat(501) }, "issuer"],
      ];
      for (const [request, field] of cases) {
        const error = await callError(client.querySessions(request)).catch((e: Error) => assert.fail(`${JSON.stringify(request)}: ${e.message}`));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT, JSON.stringify(request));
        assert.match(error.details, new RegExp(`^${field.replace(".", "\\.")}: `), JSON.stringify(request));
      }
      const base = { count_requested: 2, issuer: "https://idp.example.com", created: { from: ts(1) }, state: "SESSION_STATE_EXPIRED" };
      const { results_token: token } = await client.querySessions({ count_requested: 2 });
      const filtered = (await client.querySessions({ ...base, subject_id: "user-0" })).results_token;
      assert.notEqual(filtered, "");
      assert.equal((await client.querySessions({ ...base, subject_id: "user-0", results_token: filtered })).current_page, 2);
      for (const request of [
        { count_requested: 2, order: "SESSION_ORDER_NEWEST_FIRST", results_token: token },
        { count_requested: 2, issuer: "https://idp.example.com", results_token: token },
        { count_requested: 2, created: { from: ts(1) }, results_token: token },
        { ...base, subject_id: "user-0", ip_address: "10.0.0.0/9", results_token: filtered },
        { ...base, subject_id: "user-0", state: "SESSION_STATE_ACTIVE", results_token: filtered },
        { ...base, subject_id: "user-0", created: { from: ts(2) }, results_token: filtered },
        { ...base, subject_id: "user-0", issuer: "https://IDP.example.com", results_token: filtered },
      ]) {
        const error = await callError(client.querySessions(request)).catch((e: Error) => assert.fail(`${JSON.stringify(request)}: ${e.message}`));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT, JSON.stringify(request));
        assert.match(error.details, /^results_token: was issued for a different filter/, JSON.stringify(request));
      }
    });

    it("should walk forward to the end and back to the start through the same pages", async () => {
      const forward: Message[] = [];
      let response = await client.querySessions({ count_requested: 5 });
      forward.push(response);
      while (response.has_next_results) {
        response = await client.querySessions({ count_requested: 5, results_token: response.results_token });
        forward.push(response);
      }
      assert.deepEqual(forward.map(sids).flat(), allSids);
      assert.deepEqual(forward.map((r) => r.current_page), [1, 2, 3, 4, 5]);
      assert.deepEqual(forward.map((r) => r.has_prev_results), [false, true, true, true, true]);
      assert.deepEqual(forward.map((r) => r.has_next_results), [true, true, true, true, false]);

      const backward: Message[] = [response];
      while (response.has_prev_results) {
        response = await client.querySessions({ count_requested: 5, results_token: response.results_token, request_prior_results: true });
        backward.push(response);
      }
      assert.deepEqual(backward.map(sids).reverse(), forward.map(sids));
      assert.deepEqual(backward.map((r) => r.current_page), [5, 4, 3, 2, 1]);
    });

    it("should start over at the first page when going back from the first page", async () => {
      const first = await client.querySessions({ count_requested: 5 });
      const again = await client.querySessions({ count_requested: 5, results_token: first.results_token, request_prior_results: true });
      assert.deepEqual(sids(again), sids(first));
      assert.equal(again.current_page, 1);
      assert.equal(again.has_prev_results, false);
    });

    it("should ignore request_prior_results without a token", async () => {
      const response = await client.querySessions({ count_requested: 5, request_prior_results: true });
      assert.deepEqual(sids(response), allSids.slice(0, 5));
    });

    it("should keep the totals and a way back when the walk runs off the end", async () => {
      let last = await client.querySessions({ count_requested: 5 });
      while (last.has_next_results) last = await client.querySessions({ count_requested: 5, results_token: last.results_token });
      assert.equal(last.current_page, 5);
      const beyond = await client.querySessions({ count_requested: 5, results_token: last.results_token });
      assert.deepEqual(beyond.results, []);
      assert.equal(beyond.has_prev_results, true);
      assert.equal(beyond.has_next_results, false);
      assert.equal(beyond.total_count, 23);
      assert.equal(beyond.total_pages, 5);
      assert.equal(beyond.current_page, 6);
      assert.notEqual(beyond.results_token, "");

      // Following it again answers the same page; going back answers the last
      // five sessions, as the page before any position does.
      const again = await client.querySessions({ count_requested: 5, results_token: beyond.results_token });
      assert.deepEqual([again.results, again.current_page, again.has_prev_results, again.total_count], [[], 6, true, 23]);
      const back = await client.querySessions({ count_requested: 5, results_token: again.results_token, request_prior_results: true });
      assert.deepEqual(sids(back), allSids.slice(-5));
      assert.equal(back.current_page, 5);
      assert.equal(back.has_prev_results, true);
      assert.equal(back.has_next_results, false);
    });

    it("should answer an empty result with no token, no flags and zero counts when every matching session went away during the walk", async () => {
      const gone = await createSessions(server.db.stores, Array.from({ length: 3 }, (_, i) => ({ subjectId: "gone", sessionId: `gone-${i}` })));
      const first = await client.querySessions({ subject_id: "gone", count_requested: 3 });
      assert.deepEqual(sids(first), gone.map((s) => s.sessionId));
      await server.db.stores.transaction(async (tx) => {
        await tx.sessions.deleteByPks((await tx.sessions.findForTermination({ subjectId: "gone" })).map((s) => s.pk));
      });
      const beyond = await client.querySessions({ subject_id: "gone", count_requested: 3, results_token: first.results_token });
      assert.deepEqual(beyond.results, []);
      assert.equal(beyond.results_token, "");
      assert.equal(beyond.has_prev_results, false);
      assert.equal(beyond.has_next_results, false);
      assert.equal(beyond.total_count, 0);
      assert.equal(beyond.total_pages, 0);
      assert.equal(beyond.current_page, 0);
    });

    it("should answer an empty result when nothing matches", async () => {
      const response = await client.querySessions({ subject_id: "nobody" });
      assert.deepEqual(response.results, []);
      assert.equal(response.results_token, "");
      assert.equal(response.total_count, 0);
      assert.equal(response.has_next_results, false);
    });

    it("should filter by exact subject and session id", async () => {
      assert.deepEqual(sids(await client.querySessions({ subject_id: "user-1" })), allSids.filter((_, i) => i % 3 === 1));
      assert.deepEqual(sids(await client.querySessions({ subject_id: "USER-1" })), []);
      assert.deepEqual(sids(await client.querySessions({ subject_id: "user-" })), []);
      assert.deepEqual(sids(await client.querySessions({ session_id: "sid-07" })), ["sid-07"]);
    });

    it("should filter by case-insensitive display-name prefix with % and _ taken literally", async () => {
      assert.deepEqual(sids(await client.querySessions({ display_name: "BOB" })), allSids.filter((_, i) => i % 4 < 2));
      assert.deepEqual(sids(await client.querySessions({ display_name: "bob s" })), allSids.filter((_, i) => i % 4 === 0));
      assert.deepEqual(sids(await client.querySessions({ display_name: "Alice 100%" })), allSids.filter((_, i) => i % 4 === 2));
      assert.deepEqual(sids(await client.querySessions({ display_name: "alice 100_" })), allSids.filter((_, i) => i % 4 === 3));
      assert.deepEqual(sids(await client.querySessions({ display_name: "%" })), []);
      assert.deepEqual(sids(await client.querySessions({ display_name: "_" })), []);
    });

    it("should filter by client and combine all filters with AND", async () => {
      assert.deepEqual(sids(await client.querySessions({ client_id: "mobile" })), allSids.filter((_, i) => i % 2 === 0));
      const combined = await client.querySessions({ client_id: "mobile", subject_id: "user-0", display_name: "bob" });
      assert.deepEqual(sids(combined), allSids.filter((_, i) => i % 2 === 0 && i % 3 === 0 && i % 4 < 2));
      assert.equal(combined.total_count, sids(combined).length);
    });

    it("should page through a filtered set", async () => {
      const expected = allSids.filter((_, i) => i % 2 === 0);
      const seen: string[] = [];
      let response = await client.querySessions({ client_id: "mobile", count_requested: 4 });
      seen.push(...sids(response));
      while (response.has_next_results) {
        response = await client.querySessions({ client_id: "mobile", count_requested: 4, results_token: response.results_token });
        seen.push(...sids(response));
      }
      assert.deepEqual(seen, expected);
      assert.equal(response.total_pages, 3);
    });

    it("should default the page size to 25 and clamp it to 1000", async () => {
      const byDefault = await client.querySessions({});
      assert.equal(byDefault.results.length, 23);
      assert.equal(byDefault.total_pages, 1);
      // A token carries its page size: one issued for 5000 (served as 1000) is valid for 1000.
      const clamped = await client.querySessions({ count_requested: 5000, subject_id: "user-0" });
      const reused = await client.querySessions({ count_requested: 1000, subject_id: "user-0", results_token: clamped.results_token });
      assert.deepEqual(reused.results, []);
      const error = await callError(client.querySessions({ count_requested: 999, subject_id: "user-0", results_token: clamped.results_token }));
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
    });

    it("should reject a negative page size naming the field", async () => {
      const error = await callError(client.querySessions({ count_requested: -1 }));
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
      // Read by grpc-js exactly as written: no "%3A" left from over-encoding.
      assert.equal(error.details, "count_requested: must not be negative");
    });

    it("should reject tampered tokens and tokens issued for another filter or page size", async () => {
      const { results_token: token } = await client.querySessions({ count_requested: 5, subject_id: "user-0" });
      const tampered = token.slice(0, 10) + (token[10] === "A" ? "B" : "A") + token.slice(11);
      for (const request of [
        { count_requested: 5, subject_id: "user-0", results_token: tampered },
        { count_requested: 5, subject_id: "user-0", results_token: token + "A" },
        { count_requested: 5, subject_id: "user-0", results_token: "not a token" },
        { count_requested: 5, subject_id: "user-1", results_token: token },
        { count_requested: 5, results_token: token },
        { count_requested: 6, subject_id: "user-0", results_token: token },
      ]) {
        const error = await callError(client.querySessions(request));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT, JSON.stringify(request));
        assert.match(error.details, /results_token/);
      }
    });

    it("should accept its tokens after a restart, and reject those of a server with another secret", async () => {
      const first = await client.querySessions({ count_requested: 5 });
      const other = await startTestServer(backend);
      const foreign = sessionManagementClient(other.port);
      try {
        const error = await callError(foreign.querySessions({ count_requested: 5, results_token: first.results_token }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
      } finally {
        foreign.close();
        await other.stop();
      }
      client.close();
      await server.restart();
      client = sessionManagementClient(server.port);
      const next = await client.querySessions({ count_requested: 5, results_token: first.results_token });
      assert.deepEqual(sids(next), allSids.slice(5, 10));
    });
  });
}
