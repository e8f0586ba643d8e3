import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import { callError, grantStoreClient, grpc, type CallError, type Message } from "../support/grpc-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

// connect-node percent-encodes the status message; grpc-js leaves ":" encoded.
const detail = (error: CallError) => decodeURIComponent(error.details);
const at = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });

let sequence = 0;
function grant(overrides: Message = {}): Message {
  sequence++;
  return { key: `grant-${sequence}`, type: "refresh_token", subject_id: "alice", session_id: "sid-1", client_id: "web", data: Buffer.from(`data-${sequence}`), ...overrides };
}

for (const backend of await testBackends()) {
  describe(`GrantStore over gRPC (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let grants: ReturnType<typeof grantStoreClient>;

    before(async () => {
      server = await startTestServer(backend);
      grants = grantStoreClient(server.port);
    });
    after(async () => {
      grants?.close();
      await server?.stop();
    });

    it("should store a grant and return it, bytes and times intact, as stored and as read", async () => {
      const input = grant({
        subject_id: "bytes",
        description: "Alice's phone",
        creation_time: at("2026-04-01T08:00:00Z"),
        expiration: at("2026-05-01T08:00:00Z"),
        consumed_time: at("2026-04-02T08:00:00Z"),
        data: Buffer.from([0xc3, 0x28, 0x00, 0xff]),
      });
      const stored = (await grants.storeGrant({ grant: input })).grant;
      const read = (await grants.getGrant({ key: input.key })).grant;
      for (const g of [stored, read]) {
        assert.deepEqual(
          [g.key, g.type, g.subject_id, g.session_id, g.client_id, g.description],
          [input.key, "refresh_token", "bytes", "sid-1", "web", "Alice's phone"],
        );
        assert.deepEqual([g.creation_time, g.expiration, g.consumed_time], [input.creation_time, input.expiration, input.consumed_time]);
        assert.deepEqual(g.data, Buffer.from([0xc3, 0x28, 0x00, 0xff]));
      }
    });

    it("should replace the grant with the same key", async () => {
      const input = grant({ subject_id: "upsert" });
      await grants.storeGrant({ grant: input });
      await grants.storeGrant({ grant: { ...input, data: Buffer.from("second"), consumed_time: at("2026-04-03T00:00:00Z") } });
      const listed = await grants.listGrants({ filter: { subject_id: "upsert" } });
      assert.equal(listed.results.length, 1);
      assert.equal(listed.results[0].data.toString(), "second");
      assert.notEqual(listed.results[0].consumed_time, null);
    });

    it("should answer NOT_FOUND for a key that is not stored, and remove a key once", async () => {
      assert.equal((await callError(grants.getGrant({ key: "never-stored" }))).code, grpc.status.NOT_FOUND);
      const input = grant();
      await grants.storeGrant({ grant: input });
      assert.equal((await grants.removeGrant({ key: input.key })).grants_removed, 1);
      assert.equal((await grants.removeGrant({ key: input.key })).grants_removed, 0);
      assert.equal((await callError(grants.getGrant({ key: input.key }))).code, grpc.status.NOT_FOUND);
    });

    it("should list and remove by subject, session, clients and types combined with AND", async () => {
      const subject = "filtered";
      const make = (type: string, session_id: string, client_id: string) => grants.storeGrant({ grant: grant({ subject_id: subject, type, session_id, client_id }) });
      await make("refresh_token", "s1", "web");
      await make("reference_token", "s1", "api");
      await make("refresh_token", "s2", "web");
      await make("user_consent", "", "web");
      const list = async (filter: Message) =>
        ((await grants.listGrants({ filter })).results as Message[]).map((g) => `${g.type}:${g.session_id}:${g.client_id}`);
      assert.deepEqual(await list({ subject_id: subject, types: ["refresh_token"] }), ["refresh_token:s1:web", "refresh_token:s2:web"]);
      assert.deepEqual(await list({ subject_id: subject, session_id: "s1", client_ids: ["api", "spa"] }), ["reference_token:s1:api"]);
      assert.deepEqual(await list({ session_id: "s2" }), ["refresh_token:s2:web"]);
      assert.equal((await grants.removeGrants({ filter: { subject_id: subject, client_ids: ["web"], types: ["refresh_token", "user_consent"] } })).grants_removed, 3);
      assert.deepEqual(await list({ subject_id: subject }), ["reference_token:s1:api"]);
    });

    it("should page a filter's grants with a token bound to the filter", async () => {
      const keys: string[] = [];
      for (let i = 0; i < 5; i++) {
        const input = grant({ subject_id: "paged" });
        keys.push(input.key);
        await grants.storeGrant({ grant: input });
      }
      const first = await grants.listGrants({ filter: { subject_id: "paged" }, count_requested: 3 });
      assert.deepEqual(first.results.map((g: Message) => g.key), keys.slice(0, 3));
      assert.deepEqual([first.has_prev_results, first.has_next_results], [false, true]);
      const second = await grants.listGrants({ filter: { subject_id: "paged" }, count_requested: 3, results_token: first.results_token });
      assert.deepEqual(second.results.map((g: Message) => g.key), keys.slice(3));
      assert.deepEqual([second.has_prev_results, second.has_next_results], [true, false]);
      const back = await grants.listGrants({ filter: { subject_id: "paged" }, count_requested: 3, results_token: second.results_token, request_prior_results: true });
      assert.deepEqual(back.results.map((g: Message) => g.key), keys.slice(0, 3));
      const foreign = await callError(grants.listGrants({ filter: { subject_id: "paged", types: ["ciba"] }, count_requested: 3, results_token: first.results_token }));
      assert.equal(foreign.code, grpc.status.INVALID_ARGUMENT);
      assert.match(detail(foreign), /^results_token: was issued for a different filter/);
    });

    it("should refuse an empty filter, and a filter of clients or types alone, and change nothing", async () => {
      await grants.storeGrant({ grant: grant({ subject_id: "bystander" }) });
      for (const request of [{}, { filter: {} }, { filter: { client_ids: ["web"] } }, { filter: { types: ["refresh_token"] } }]) {
        for (const call of [grants.listGrants(request), grants.removeGrants(request)]) {
          const error = await callError(call);
          assert.equal(error.code, grpc.status.INVALID_ARGUMENT, JSON.stringify(request));
          assert.match(detail(error), /^filter: subject_id or session_id is required/);
        }
      }
      assert.equal((await grants.listGrants({ filter: { subject_id: "bystander" } })).results.length, 1);
    });

    it("should refuse unknown grant types and missing required fields, naming the field", async () => {
      const cases: [Promise<Message>, RegExp][] = [
        [grants.storeGrant({ grant: grant({ type: "access_token" }) }), /^grant\.type: must be one of authorization_code, reference_token, refresh_token, user_consent, device_code, ciba/],
        [grants.storeGrant({ grant: grant({ key: "" }) }), /^grant\.key: must not be empty/],
        [grants.storeGrant({ grant: grant({ client_id: "" }) }), /^grant\.client_id: must not be empty/],
        [grants.storeGrant({}), /^grant\.key: /],
        [grants.listGrants({ filter: { subject_id: "a", types: ["refresh_token", "Refresh_Token"] } }), /^filter\.types\[1\]: must be one of/],
        [grants.getGrant({ key: "" }), /^key: must not be empty/],
      ];
      for (const [call, message] of cases) {
        const error = await callError(call);
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT, String(message));
        assert.match(detail(error), message);
      }
    });
  });
}
