import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import { newGrant, newSession } from "../support/fixtures.js";
import { callError, grantStoreClient, grpc, sessionStoreClient, type CallError, type Message } from "../support/grpc-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

// connect-node percent-encodes the status message; grpc-js leaves ":" encoded.
const detail = (error: CallError) => decodeURIComponent(error.details);

// Small limits, so that pages of large payloads are quick to build.
const maxTicketBytes = 8 * 1024;
const maxGrantDataBytes = 8 * 1024;
const maxPageBytes = 64 * 1024;

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${++sequence}`;

/** Walks a list forward from its first page, then back from its last; returns the keys of each page in both walks. */
async function walk(list: (request: Message) => Promise<Message>, request: Message) {
  const forward: Message[] = [];
  let page = await list(request);
  forward.push(page);
  while (page.has_next_results) {
    page = await list({ ...request, results_token: page.results_token });
    forward.push(page);
  }
  const backward: Message[] = [page];
  while (page.has_prev_results) {
    page = await list({ ...request, results_token: page.results_token, request_prior_results: true });
    backward.unshift(page);
  }
  const keys = (pages: Message[]) => pages.map((p) => p.results.map((r: Message) => r.key as string));
  return { forward, backward, forwardKeys: keys(forward), backwardKeys: keys(backward) };
}

/** Each page stays within the budget, or holds one row that alone exceeds it. */
function assertWithinBudget(pages: Message[], payload: (row: Message) => number) {
  for (const page of pages) {
    const bytes = page.results.reduce((sum: number, row: Message) => sum + payload(row), 0);
    assert.ok(bytes <= maxPageBytes || page.results.length === 1, `a page of ${page.results.length} rows holds ${bytes} payload bytes`);
  }
}

for (const backend of await testBackends()) {
  describe(`payload limits (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let sessions: ReturnType<typeof sessionStoreClient>;
    let grants: ReturnType<typeof grantStoreClient>;

    before(async () => {
      server = await startTestServer(backend, { maxTicketBytes, maxGrantDataBytes, maxPageBytes });
      sessions = sessionStoreClient(server.port);
      grants = grantStoreClient(server.port);
    });
    after(async () => {
      sessions?.close();
      grants?.close();
      await server?.stop();
    });

    describe("on write", () => {
      it("should refuse a ticket above the limit with INVALID_ARGUMENT naming the field, storing nothing", async () => {
        const key = unique("big-ticket");
        const error = await callError(sessions.createSession({ session: { key, subject_id: "big", ticket: Buffer.alloc(maxTicketBytes + 1) } }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.equal(detail(error), `session.ticket: must be at most ${maxTicketBytes} bytes (is ${maxTicketBytes + 1})`);
        assert.equal((await callError(sessions.getSession({ key }))).code, grpc.status.NOT_FOUND);
        assert.equal(await server.db.stores.sessions.findByKey(key), undefined);
      });

      it("should accept a ticket of exactly the limit", async () => {
        const key = unique("full-ticket");
        await sessions.createSession({ session: { key, subject_id: "full", ticket: Buffer.alloc(maxTicketBytes, 7) } });
        assert.equal((await sessions.getSession({ key })).session.ticket.length, maxTicketBytes);
      });

      it("should refuse an update to a ticket above the limit, keeping the ticket stored", async () => {
        const key = unique("grow-ticket");
        await sessions.createSession({ session: { key, subject_id: "grow", ticket: Buffer.from("small") } });
        const error = await callError(sessions.updateSession({ key, ticket: Buffer.alloc(maxTicketBytes + 1) }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.equal(detail(error), `ticket: must be at most ${maxTicketBytes} bytes (is ${maxTicketBytes + 1})`);
        assert.deepEqual((await sessions.getSession({ key })).session.ticket, Buffer.from("small"));
      });

      it("should refuse grant data above the limit with INVALID_ARGUMENT naming the field, storing nothing", async () => {
        const key = unique("big-grant");
        const grant = { key, type: "refresh_token", subject_id: "big", client_id: "web", data: Buffer.alloc(maxGrantDataBytes + 1) };
        const error = await callError(grants.storeGrant({ grant }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.equal(detail(error), `grant.data: must be at most ${maxGrantDataBytes} bytes (is ${maxGrantDataBytes + 1})`);
        assert.equal((await callError(grants.getGrant({ key }))).code, grpc.status.NOT_FOUND);
        await grants.storeGrant({ grant: { ...grant, data: Buffer.alloc(maxGrantDataBytes) } });
        assert.equal((await grants.getGrant({ key })).grant.data.length, maxGrantDataBytes);
      });
    });

    describe("on read", () => {
      it("should end GetSessions pages of large tickets early, with a token that walks every session once, both ways", async () => {
        const subject = unique("large-tickets");
        const keys: string[] = [];
        for (let i = 0; i < 30; i++) {
          const key = unique("large");
          keys.push(key);
          await sessions.createSession({ session: { key, subject_id: subject, ticket: Buffer.alloc(maxTicketBytes - (i % 5) * 1000, i) } });
        }
        const { forward, backward, forwardKeys, backwardKeys } = await walk(sessions.getSessions, { subject_id: subject, count_requested: 100 });
        assert.ok(forward.length >= 3, `${forward.length} pages`);
        assert.ok(forward[0]!.results.length < 30 && forward[0]!.has_next_results);
        assert.deepEqual(forwardKeys.flat(), keys, "forward: every session once, in order");
        assert.deepEqual(backwardKeys.flat(), keys, "back: every session once, in order");
        assert.equal(backward[0]!.has_prev_results, false);
        assertWithinBudget([...forward, ...backward], (row) => row.ticket.length);
        for (const page of forward) for (const row of page.results) assert.equal(row.ticket.length, maxTicketBytes - (keys.indexOf(row.key) % 5) * 1000);
      });

      it("should serve tickets stored before the limit one per page, still walking every session", async () => {
        const subject = unique("legacy-tickets");
        const stored = [Buffer.from("small"), Buffer.alloc(100_000, 1), Buffer.alloc(3 * maxPageBytes, 2), Buffer.from("small too"), Buffer.alloc(100_000, 3)];
        const keys: string[] = [];
        for (const ticket of stored) {
          const session = newSession({ subjectId: subject, ticket });
          keys.push(session.key);
          await server.db.stores.sessions.create(session);
        }
        const { forward, forwardKeys, backwardKeys } = await walk(sessions.getSessions, { subject_id: subject, count_requested: 100 });
        assert.deepEqual(forwardKeys, [[keys[0]], [keys[1]], [keys[2]], [keys[3]], [keys[4]]], "100 kB tickets stand alone; small ones join no larger neighbour");
        assert.deepEqual(forwardKeys.flat(), keys);
        assert.deepEqual(backwardKeys.flat(), keys);
        assertWithinBudget(forward, (row) => row.ticket.length);
        assert.deepEqual(forward.flatMap((p) => p.results.map((r: Message) => r.ticket.length)), stored.map((t) => t.length));
      });

      it("should end ListGrants pages of large data early, walking every grant once, both ways", async () => {
        const subject = unique("large-grants");
        const keys: string[] = [];
        for (let i = 0; i < 20; i++) {
          const key = unique("large-grant");
          keys.push(key);
          await grants.storeGrant({ grant: { key, type: "refresh_token", subject_id: subject, client_id: "web", data: Buffer.alloc(maxGrantDataBytes, i) } });
        }
        // Stored before the limit: larger than a whole page.
        const legacy = newGrant({ type: "refresh_token", clientId: "web", subjectId: subject, data: Buffer.alloc(2 * maxPageBytes, 9) });
        await server.db.stores.grants.store(legacy);
        keys.push(legacy.key);
        const { forward, forwardKeys, backwardKeys } = await walk(grants.listGrants, { filter: { subject_id: subject }, count_requested: 100 });
        assert.ok(forward.length >= 3, `${forward.length} pages`);
        assert.deepEqual(forwardKeys.flat(), keys);
        assert.deepEqual(backwardKeys.flat(), keys);
        assert.deepEqual(forwardKeys.at(-1), [legacy.key], "the oversized grant makes a page of its own");
        assertWithinBudget(forward, (row) => row.data.length);
      });
    });
  });
}
