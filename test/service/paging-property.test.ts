import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  QuerySessionsRequestSchema,
  SessionOrder,
  SessionState,
  type QuerySessionsResponse,
} from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { parseIpAddress, parseIpRange } from "../../src/domain/ip-address.js";
import type { DomainError } from "../../src/domain/errors.js";
import { createPageTokenCodec } from "../../src/domain/page-token.js";
import { sessionFilterKey } from "../../src/domain/session-filter.js";
import { createQuerySessions } from "../../src/service/query-sessions.js";
import { createSessionCounter } from "../../src/service/session-counter.js";
import { testBackends, type TestDatabase } from "../support/backends.js";
import { createSessions } from "../support/seed-sessions.js";

/**
 * Random walks over random data, forward and backward, with sessions created
 * and deleted between pages, checked step by step against a plain in-memory
 * model of what every page must contain.
 */

interface ModelSession {
  order: number;
  sid: string;
  subjectId: string;
  displayName: string;
  clientIds: string[];
  created: Date;
  renewed: Date;
  expires?: Date;
  issuer: string;
  ip: string;
  alive: boolean;
}

interface Range {
  from?: Date;
  to?: Date;
}

interface Filter {
  subjectId?: string;
  displayName?: string;
  clientId?: string;
  created?: Range;
  renewed?: Range;
  expires?: Range;
  state?: "active" | "expired";
  issuer?: string;
  ipAddress?: string;
}

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const inRange = (t: Date | undefined, r: Range | undefined) =>
  r === undefined || (t !== undefined && (r.from === undefined || t >= r.from) && (r.to === undefined || t < r.to));

const ipIn = (ip: string, filter: string) => {
  const key = Buffer.from(parseIpAddress("ip", ip).key);
  const range = parseIpRange("ip", filter);
  return Buffer.compare(key, Buffer.from(range.from)) >= 0 && Buffer.compare(key, Buffer.from(range.to)) <= 0;
};

const matches = (s: ModelSession, f: Filter, now: Date) =>
  s.alive &&
  (f.subjectId === undefined || s.subjectId === f.subjectId) &&
  (f.displayName === undefined || s.displayName.toLowerCase().startsWith(f.displayName.toLowerCase())) &&
  (f.clientId === undefined || s.clientIds.includes(f.clientId)) &&
  inRange(s.created, f.created) &&
  inRange(s.renewed, f.renewed) &&
  inRange(s.expires, f.expires) &&
  (f.state === undefined || (f.state === "expired") === (s.expires !== undefined && s.expires <= now)) &&
  (f.issuer === undefined || s.issuer === f.issuer) &&
  (f.ipAddress === undefined || ipIn(s.ip, f.ipAddress));

type Walk = "order" | "created" | "renewed" | "expires";

// The index a filter walks, as docs/api.md states the rule: recording order
// when a filter pins few sessions (subject, session id, an exact address) or
// no range is set; else the first of created, renewed, expires with both
// ends, else the first with a range (state: a range on expires, expired
// ending now, active starting now and holding never-expiring sessions last).
const walkOf = (f: Filter): Walk => {
  if (f.subjectId !== undefined || (f.ipAddress !== undefined && !f.ipAddress.includes("/"))) return "order";
  const ranges: [Walk, Range | undefined][] = [
    ["created", f.created],
    ["renewed", f.renewed],
    [
      "expires",
      f.state === "expired"
        ? { from: f.expires?.from, to: f.expires?.to ?? new Date() }
        : f.state === "active"
          ? { from: f.expires?.from ?? new Date(), to: f.expires?.to }
          : f.expires,
    ],
  ];
  return (ranges.find(([, r]) => r?.from !== undefined && r.to !== undefined) ?? ranges.find(([, r]) => r !== undefined))?.[0] ?? "order";
};

// A session's place in an oldest-first walk: the walked time (ties in
// recording order; never expiring after every expiry), or recording order alone.
const never = Date.now() + 1e10;
const placeOf = (s: ModelSession, walk: Walk) => (walk === "order" ? s.order : (s[walk]?.getTime() ?? never) * 1024 + s.order);

const rangeMessage = (r: Range | undefined) =>
  r && { from: r.from && timestampFromDate(r.from), to: r.to && timestampFromDate(r.to) };

const requestFields = (f: Filter) => ({
  subjectId: f.subjectId,
  displayName: f.displayName,
  clientId: f.clientId,
  created: rangeMessage(f.created),
  renewed: rangeMessage(f.renewed),
  expires: rangeMessage(f.expires),
  state: f.state === undefined ? SessionState.UNSPECIFIED : f.state === "active" ? SessionState.ACTIVE : SessionState.EXPIRED,
  issuer: f.issuer,
  ipAddress: f.ipAddress,
});

const hour = 3_600_000;
const issuers = ["https://idp.example", "https://IDP.example", "https://other.example"];
const addresses = ["10.1.2.3", "10.1.9.9", "10.2.0.1", "2001:db8::5", "2001:db9::1", "192.0.2.7"];

// Every filter in both orders on every backend, then more random walks where they are cheap.
const filtersFor = (w: string, at: (hours: number) => Date): Filter[] => [
  { displayName: `${w} ` },
  { displayName: `${w} ann` },
  { displayName: `${w} B` },
  { clientId: `${w}-c1` },
  { subjectId: `${w}-s0` },
  { subjectId: `${w}-s1`, clientId: `${w}-c0` },
  { clientId: `${w}-c2`, displayName: `${w} bo` },
  { displayName: `${w} `, created: { from: at(-30), to: at(-6) } },
  { displayName: `${w} `, renewed: { from: at(-12) } },
  { displayName: `${w} `, expires: { to: at(24) } },
  { displayName: `${w} `, state: "active" },
  { displayName: `${w} `, state: "expired" },
  { issuer: `${issuers[0]}/${w}` },
  { issuer: `${issuers[1]}/${w}`, state: "active" },
  { displayName: `${w} `, ipAddress: "10.1.0.0/16" },
  { displayName: `${w} `, ipAddress: "2001:db8::/32" },
  { displayName: `${w} `, ipAddress: "::ffff:192.0.2.7" },
  { subjectId: `${w}-s2`, created: { to: at(-20) }, state: "active" },
  { clientId: `${w}-c1`, ipAddress: "10.0.0.0/8", renewed: { from: at(-40), to: at(10) } },
  // A range alone, or with filters checked on its rows: walks of a time index, with ties.
  { created: { from: at(-30), to: at(-6) } },
  { renewed: { from: at(-12) } },
  { expires: { to: at(24) } },
  { state: "expired" },
  { state: "active" },
  { clientId: `${w}-c2`, state: "active", ipAddress: "10.0.0.0/8" },
  { state: "active", expires: { to: at(30) } },
  { created: { from: at(-40) }, renewed: { from: at(-30), to: at(5) } },
  { created: { to: at(-10) }, expires: { from: at(-5) }, issuer: `${issuers[2]}/${w}` },
  { clientId: `${w}-c1`, created: { from: at(-24) } },
  { displayName: `${w} b`, state: "expired", expires: { from: at(-8) } },
  { ipAddress: "10.1.0.0/16", renewed: { to: at(0) } },
];
const filterCount = filtersFor("", () => new Date()).length;
const walks = { sqlite: Math.max(40, 2 * filterCount), mysql: 2 * filterCount };
const stepsPerWalk = 25;

for (const backend of await testBackends()) {
  describe(`paging property (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    let query: ReturnType<typeof createQuerySessions>;
    const pageTokens = createPageTokenCodec(randomBytes(32));
    before(async () => {
      db = await backend.open();
      query = createQuerySessions({
        sessions: db.stores.sessions,
        pageTokens,
        counter: createSessionCounter(db.stores.sessions, { exactLimit: 10_000, refreshMs: 0, maxCachedFilters: 10 }),
      });
    });
    after(async () => {
      await db?.drop();
    });

    it("should number the page 1 when every earlier session was deleted meanwhile", async () => {
      const created = await createSessions(db.stores, Array.from({ length: 6 }, () => ({ subjectId: "renumber" })));
      const request = (token: string) => create(QuerySessionsRequestSchema, { subjectId: "renumber", countRequested: 2, resultsToken: token });
      const first = await query(request(""), new AbortController().signal);
      const second = await query(request(first.resultsToken), new AbortController().signal);
      assert.equal(second.currentPage, 2);
      await db.stores.transaction(async (tx) => {
        const sessions = await tx.sessions.findForTermination({ subjectId: "renumber" });
        await tx.sessions.deleteByPks(sessions.filter((s) => created.slice(0, 4).some((c) => c.sessionId === s.sessionId)).map((s) => s.pk));
      });
      const third = await query(request(second.resultsToken), new AbortController().signal);
      assert.deepEqual(third.results.map((s) => s.sessionId), created.slice(4).map((s) => s.sessionId));
      assert.equal(third.hasPrevResults, false);
      assert.equal(third.currentPage, 1);
    });

    it("should refuse a token issued when a range walked in recording order, saying to start again", async () => {
      await createSessions(db.stores, Array.from({ length: 4 }, () => ({ subjectId: "earlier" })));
      const created = { from: new Date(Date.now() - 86_400_000) };
      const request = (token: string) =>
        create(QuerySessionsRequestSchema, { created: { from: timestampFromDate(created.from) }, countRequested: 2, resultsToken: token });
      // What a server before walks over a time index issued for this filter: a position in recording order.
      const earlier = pageTokens.encode({ firstPk: 1, lastPk: 2, page: 1 }, `${sessionFilterKey({ created })}|2`);
      const error = await query(request(earlier), new AbortController().signal).then(
        () => assert.fail("an earlier token was accepted"),
        (e: unknown) => e as DomainError,
      );
      assert.equal(error.code, "invalid_argument");
      assert.equal(error.field, "results_token");
      assert.match(error.message, /^results_token: was issued for a walk in recording order; this filter now walks sessions in created order: query again without a token$/);
      // Tokens of walks that still run in recording order go on as before.
      const bySubject = pageTokens.encode({ firstPk: 0, lastPk: 0, page: 1 }, `${sessionFilterKey({ subjectId: "earlier" })}|2`);
      const next = await query(create(QuerySessionsRequestSchema, { subjectId: "earlier", countRequested: 2, resultsToken: bySubject }), new AbortController().signal);
      assert.equal(next.results.length, 2);
    });

    for (let walk = 0; walk < walks[backend.name]; walk++) {
      const seed = 1000 + walk;
      it(`should agree with the model on walk ${walk} (seed ${seed})`, async () => {
        const rnd = prng(seed);
        const w = `w${seed}`;
        const model: ModelSession[] = [];
        // Times around now, not in recording order: imports and clock steps happen.
        const now = Date.now();
        const at = (hours: number) => new Date(now + Math.round(hours * hour));
        const insert = async (count: number) => {
          const fresh = Array.from({ length: count }, (): ModelSession => {
            // Many on whole hours, so walks over a time meet ties.
            const created = rnd.next() < 0.5 ? at(-1 - rnd.int(47)) : at(-48 + rnd.next() * 48);
            const renewed = new Date(created.getTime() + rnd.int(24) * hour);
            const roll = rnd.next();
            const expiredAgo = rnd.next() < 0.5 ? 1 + rnd.int(10) : 1 + rnd.next() * 10;
            return {
              order: model.length,
              sid: `${w}-sid-${model.length + Math.random()}`,
              subjectId: `${w}-s${rnd.int(3)}`,
              displayName: `${w} ${rnd.pick(["Ann", "ann b", "Bob", "bo%", "B_b"])} ${rnd.int(10)}`,
              clientIds: [`${w}-c0`, `${w}-c1`, `${w}-c2`].filter(() => rnd.next() < 0.5),
              created,
              renewed,
              // Expired ones lie far enough back (and active ones ahead) that the walk's own time does not matter.
              expires: roll < 0.15 ? undefined : roll < 0.4 ? at(-expiredAgo) : at(1 + rnd.next() * 48),
              issuer: `${rnd.pick(issuers)}/${w}`,
              ip: rnd.pick(addresses),
              alive: true,
            };
          });
          fresh.forEach((s, i) => (s.order = model.length + i));
          model.push(...fresh);
          await createSessions(
            db.stores,
            fresh.map(({ sid, subjectId, displayName, clientIds, created, renewed, expires, issuer, ip }) => ({
              sessionId: sid,
              subjectId,
              displayName,
              clientIds,
              created,
              renewed,
              expires,
              issuer,
              metadata: { signInIp: ip, lastSeenIp: ip, lastSeen: renewed, amr: ["pwd"], attributes: {} },
            })),
          );
        };
        const remove = async (count: number) => {
          const alive = model.filter((s) => s.alive);
          const victims = Array.from({ length: Math.min(count, alive.length) }, () => rnd.pick(alive)).filter((s) => s.alive);
          const unique = [...new Set(victims)];
          await db.stores.transaction(async (tx) => {
            const pks = [];
            for (const victim of unique) pks.push(...(await tx.sessions.findForTermination({ sessionId: victim.sid })).map((s) => s.pk));
            await tx.sessions.deleteByPks(pks);
          });
          for (const victim of unique) victim.alive = false;
        };

        // Filters without a walk's own prefix (a range alone) see every session: start from none.
        await db.stores.transaction(async (tx) => {
          await tx.sessions.deleteByPks((await tx.sessions.findPage({}, { direction: "forward" }, 100_000)).map((s) => s.pk));
        });
        await insert(5 + rnd.int(40));
        const filter = filtersFor(w, at)[walk % filterCount]!;
        const newest = Math.floor(walk / filterCount) % 2 === 1;
        // A session's place in the walk: its place oldest first, or its reverse.
        const walkBy = walkOf(filter);
        const rank = (s: ModelSession) => (newest ? -placeOf(s, walkBy) : placeOf(s, walkBy));
        const size = 1 + rnd.int(7);
        const request = (token: string, prior: boolean) =>
          create(QuerySessionsRequestSchema, {
            ...requestFields(filter),
            order: newest ? SessionOrder.NEWEST_FIRST : SessionOrder.OLDEST_FIRST,
            countRequested: size,
            resultsToken: token,
            requestPriorResults: prior,
          });

        let current: { response: QuerySessionsResponse; first: number; last: number; page: number; beyond?: boolean } | undefined;
        const trace: string[] = [];
        for (let step = 0; step < stepsPerWalk; step++) {
          const roll = rnd.next();
          if (roll < 0.15) {
            const n = 1 + rnd.int(6);
            trace.push(`insert ${n}`);
            await insert(n);
            continue;
          }
          if (roll < 0.3) {
            const n = 1 + rnd.int(4);
            trace.push(`delete ${n}`);
            await remove(n);
            continue;
          }
          const direction = current === undefined || current.response.resultsToken === "" ? "first" : roll < 0.65 ? "next" : "prior";
          trace.push(direction);
          const response =
            direction === "first"
              ? await query(request("", false), new AbortController().signal)
              : await query(request(current!.response.resultsToken, direction === "prior"), new AbortController().signal);

          const matching = model.filter((s) => matches(s, filter, new Date())).sort((a, b) => rank(a) - rank(b));
          let expected: ModelSession[];
          let page: number;
          if (direction === "first") {
            expected = matching.slice(0, size);
            page = 1;
          } else if (direction === "next") {
            const after = matching.filter((s) => rank(s) > current!.last);
            expected = after.slice(0, size);
            const hasPrev = expected.length > 0 && matching.some((s) => rank(s) < rank(expected[0]!));
            page = hasPrev ? current!.page + 1 : 1;
          } else {
            const before = matching.filter((s) => rank(s) < current!.first);
            const restart = before.length <= size;
            expected = restart ? matching.slice(0, size) : before.slice(-size);
            page = restart ? 1 : Math.max(current!.page - 1, 2);
          }
          const context = `seed ${seed}, filter ${JSON.stringify(filter)}, walk ${walkBy}, ${newest ? "newest" : "oldest"} first, size ${size}, steps ${trace.join(" → ")}`;
          const got = response.results.map((s) => s.sessionId);
          assert.deepEqual(got, expected.map((s) => s.sid), context);
          assert.equal(new Set(got).size, got.length, `duplicate in page: ${context}`);
          if (expected.length === 0 && matching.length === 0) {
            assert.equal(response.resultsToken, "", context);
            assert.equal(response.hasNextResults || response.hasPrevResults, false, context);
            assert.equal(response.totalCount, 0, context);
            assert.equal(response.currentPage, 0, context);
            current = { response, first: -1, last: -1, page: 0 };
            continue;
          }
          if (expected.length === 0) {
            // Past the end of the walk: every matching session lies before it.
            const beyondPage = current!.beyond ? current!.page : current!.page + 1;
            assert.notEqual(response.resultsToken, "", context);
            assert.equal(response.hasPrevResults, true, `has_prev beyond the end: ${context}`);
            assert.equal(response.hasNextResults, false, context);
            assert.equal(response.totalCount, matching.length, `total beyond the end: ${context}`);
            assert.equal(response.totalPages, Math.ceil(matching.length / size), `pages beyond the end: ${context}`);
            assert.equal(response.currentPage, beyondPage, `current page beyond the end: ${context}`);
            current = { response, first: current!.last + 0.5, last: current!.last, page: beyondPage, beyond: true };
            continue;
          }
          const firstOrder = rank(expected[0]!);
          const lastOrder = rank(expected.at(-1)!);
          assert.equal(response.hasPrevResults, matching.some((s) => rank(s) < firstOrder), `has_prev: ${context}`);
          assert.equal(response.hasNextResults, matching.some((s) => rank(s) > lastOrder), `has_next: ${context}`);
          assert.equal(response.totalCount, matching.length, `total: ${context}`);
          assert.equal(response.totalPages, Math.max(1, Math.ceil(matching.length / size)), `pages: ${context}`);
          assert.equal(response.currentPage, page, `current page: ${context}`);
          current = { response, first: firstOrder, last: lastOrder, page };
        }
      });
    }
  });
}
