import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../support/backends.js";
import { callError, clientRegistryClient, grpc, has, type CallError, type Message } from "../support/grpc-client.js";
import { startTestServer, type TestServer } from "../support/server.js";

// connect-node percent-encodes the status message; grpc-js leaves ":" encoded.
const detail = (error: CallError) => decodeURIComponent(error.details);

for (const backend of await testBackends()) {
  describe(`ClientRegistry over gRPC (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let registry: ReturnType<typeof clientRegistryClient>;

    before(async () => {
      server = await startTestServer(backend);
      registry = clientRegistryClient(server.port);
    });
    after(async () => {
      registry?.close();
      await server?.stop();
    });

    it("should create a client with the defaults, and answer them as applied: enabled, session required, logout+jwt", async () => {
      const { client } = await registry.putClient({ client: { client_id: "web", backchannel_logout_uri: "https://web.example/logout" } });
      const expected = {
        client_id: "web",
        enabled: true,
        backchannel_logout_uri: "https://web.example/logout",
        backchannel_logout_session_required: true,
        logout_token_type: "LOGOUT_TOKEN_TYPE_LOGOUT_JWT",
      };
      const listed = ((await registry.listClients({ count_requested: 1000 })).results as Message[]).find((c) => c.client_id === "web")!;
      for (const c of [client, (await registry.getClient({ client_id: "web" })).client, listed]) {
        assert.deepEqual(
          { client_id: c.client_id, enabled: c.enabled, backchannel_logout_uri: c.backchannel_logout_uri, backchannel_logout_session_required: c.backchannel_logout_session_required, logout_token_type: c.logout_token_type },
          expected,
        );
        assert.ok(has(c, "enabled") && has(c, "backchannel_logout_session_required"));
      }
      assert.deepEqual(await server.db.stores.clients.findNotifiable(["web"]), new Set(["web"]));
      // Stored as "no choice", so the client follows the default.
      assert.equal((await server.db.stores.clients.get("web"))?.logoutTokenType, undefined);
    });

    it("should replace every setting on a second put, and keep what the notifier reads", async () => {
      await registry.putClient({ client: { client_id: "api", backchannel_logout_uri: "https://api.example/logout" } });
      const { client } = await registry.putClient({
        client: { client_id: "api", enabled: false, backchannel_logout_uri: "", backchannel_logout_session_required: false, logout_token_type: "LOGOUT_TOKEN_TYPE_JWT" },
      });
      assert.deepEqual([client.enabled, client.backchannel_logout_uri, client.backchannel_logout_session_required, client.logout_token_type], [false, "", false, "LOGOUT_TOKEN_TYPE_JWT"]);
      assert.deepEqual(await server.db.stores.clients.get("api"), { clientId: "api", enabled: false, backchannelLogoutUri: undefined, backchannelLogoutSessionRequired: false, logoutTokenType: "JWT" });
      for (const [type, stored] of [["LOGOUT_TOKEN_TYPE_NONE", "none"], ["LOGOUT_TOKEN_TYPE_LOGOUT_JWT", "logout+jwt"]] as const) {
        await registry.putClient({ client: { client_id: "api", logout_token_type: type } });
        assert.equal((await server.db.stores.clients.get("api"))?.logoutTokenType, stored);
        assert.equal((await registry.getClient({ client_id: "api" })).client.logout_token_type, type);
      }
    });

    it("should refuse logout URIs that are not absolute https URLs without fragment or user information", async () => {
      const cases: [string, RegExp][] = [
        ["http://rp.example/logout", /must use https \(plain http needs --allow-http-logout-uris\)/],
        ["https://rp.example/logout#frag", /must not have a fragment/],
        ["https://user:pw@rp.example/logout", /must not contain user information/],
        ["/logout", /must be an absolute http\(s\) URL/],
        ["https://rp.example/log out", /must not contain spaces/],
      ];
      for (const [uri, message] of cases) {
        const error = await callError(registry.putClient({ client: { client_id: "bad-uri", backchannel_logout_uri: uri } }));
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT, uri);
        assert.match(detail(error), new RegExp(`^client\\.backchannel_logout_uri: ${message.source}`), uri);
      }
      assert.equal((await callError(registry.getClient({ client_id: "bad-uri" }))).code, grpc.status.NOT_FOUND);
    });

    it("should refuse a missing client id and an unknown token type", async () => {
      assert.match(detail(await callError(registry.putClient({ client: { backchannel_logout_uri: "https://x.example/" } }))), /^client\.client_id: must not be empty/);
      assert.match(detail(await callError(registry.putClient({}))), /^client\.client_id: /);
      assert.match(detail(await callError(registry.getClient({}))), /^client_id: must not be empty/);
      assert.match(detail(await callError(registry.deleteClient({}))), /^client_id: must not be empty/);
      // protobuf.js sends an enum number it does not know as is.
      assert.match(detail(await callError(registry.putClient({ client: { client_id: "x", logout_token_type: 9 } }))), /^client\.logout_token_type: unknown value 9/);
    });

    it("should delete a client once and then answer NOT_FOUND", async () => {
      await registry.putClient({ client: { client_id: "gone" } });
      assert.equal((await registry.deleteClient({ client_id: "gone" })).clients_removed, 1);
      assert.equal((await registry.deleteClient({ client_id: "gone" })).clients_removed, 0);
      assert.equal((await callError(registry.getClient({ client_id: "gone" }))).code, grpc.status.NOT_FOUND);
    });

    it("should list clients in registration order, page by page, with totals", async () => {
      for (let i = 0; i < 5; i++) await registry.putClient({ client: { client_id: `list-${i}` } });
      const all = ((await registry.listClients({ count_requested: 1000 })).results as Message[]).map((c) => c.client_id);
      const total = all.length;
      assert.deepEqual(all.slice(-5), ["list-0", "list-1", "list-2", "list-3", "list-4"]);
      const walked: string[] = [];
      let page = await registry.listClients({ count_requested: 2 });
      assert.deepEqual([page.total_count, page.total_pages, page.current_page], [total, Math.ceil(total / 2), 1]);
      for (;;) {
        walked.push(...(page.results as Message[]).map((c) => c.client_id));
        if (!page.has_next_results) break;
        page = await registry.listClients({ count_requested: 2, results_token: page.results_token });
      }
      assert.deepEqual(walked, all);
      const back = await registry.listClients({ count_requested: 2, results_token: page.results_token, request_prior_results: true });
      assert.equal(back.current_page, page.current_page - 1);
      const error = await callError(registry.listClients({ count_requested: 3, results_token: page.results_token }));
      assert.match(detail(error), /^results_token: was issued for a different filter or page size/);
    });
  });

  describe(`ClientRegistry with --allow-http-logout-uris (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    let registry: ReturnType<typeof clientRegistryClient>;
    before(async () => {
      server = await startTestServer(backend, { allowHttpLogoutUris: true });
      registry = clientRegistryClient(server.port);
    });
    after(async () => {
      registry?.close();
      await server?.stop();
    });

    it("should accept plain http for loopback and for other hosts", async () => {
      for (const uri of ["http://127.0.0.1:8080/logout", "http://rp.default.svc.cluster.local/backchannel"]) {
        assert.equal((await registry.putClient({ client: { client_id: "http-rp", backchannel_logout_uri: uri } })).client.backchannel_logout_uri, uri);
      }
      assert.match(detail(await callError(registry.putClient({ client: { client_id: "x", backchannel_logout_uri: "http://rp.example/#f" } }))), /fragment/);
    });
  });
}
