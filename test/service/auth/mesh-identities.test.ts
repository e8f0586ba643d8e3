import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import http2 from "node:http2";
import net from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { testBackends } from "../../support/backends.js";
import { makeTestCertificates, pem, type TestCertificates } from "../../support/certificates.js";
import { callError, grpc, sessionManagementClient, type ClientOptions } from "../../support/grpc-client.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const [sqlite] = await testBackends();

const rulesFile = (dir: string) => {
  const file = join(dir, "mesh-rules.yaml");
  writeFileSync(
    file,
    [
      "rules:",
      "  - spiffe: spiffe://example.org/ns/admin/sa/console",
      "    permissions: [sessions.read, sessions.write]",
      "  - spiffe: spiffe://example.org/ns/ops/sa/*",
      "    permissions: [sessions.read]",
      "  - subject: CN=legacy-console",
      "    permissions: [sessions.read]",
      "",
    ].join("\n"),
  );
  return file;
};

const removal = { subject_id: "nobody", remove_server_side_session: true };

describe("SPIFFE identities over mutual TLS", () => {
  let certificates: TestCertificates;
  let server: TestServer;
  before(async () => {
    certificates = makeTestCertificates();
    server = await startTestServer(sqlite!, {
      tlsCertFile: certificates.serverCert,
      tlsKeyFile: certificates.serverKey,
      tlsClientCaFile: certificates.caCert,
      clientCertificatesFile: rulesFile(certificates.dir),
    });
  });
  after(async () => {
    await server?.stop();
    certificates?.remove();
  });

  const overTls = (pair: { cert: string; key: string }): ClientOptions => ({
    channel: grpc.credentials.createSsl(pem(certificates.caCert), pem(pair.key), pem(pair.cert)),
    channelOptions: { "grpc.ssl_target_name_override": "localhost" },
    bearer: null,
  });
  const withClient = async <T>(pair: { cert: string; key: string }, use: (client: ReturnType<typeof sessionManagementClient>) => Promise<T>) => {
    const client = sessionManagementClient(server.port, overTls(pair));
    try {
      return await use(client);
    } finally {
      client.close();
    }
  };

  it("should grant a rule's permissions by the certificate's SPIFFE ID, among other names, and record that ID in the audit trail", async () => {
    const admin = certificates.clientWithNames("console", "DNS:console.admin.svc,URI:spiffe://example.org/ns/admin/sa/console,IP:10.0.0.9");
    await withClient(admin, async (client) => {
      assert.deepEqual((await client.querySessions({ subject_id: "alice" })).results, []);
      await client.removeSessions(removal);
    });
    const events = await server.db.stores.audit.findPage({ method: "sessionmanagement.v1.SessionManagement/RemoveSessions" }, { direction: "forward" }, 10);
    assert.deepEqual(events.map((event) => [event.principalId, event.code]), [["spiffe://example.org/ns/admin/sa/console", "OK"]]);
  });

  it("should match a pattern rule, with exactly its permissions, and name the SPIFFE ID when refusing", async () => {
    const helpdesk = certificates.clientWithNames("helpdesk", "URI:spiffe://example.org/ns/ops/sa/helpdesk");
    await withClient(helpdesk, async (client) => {
      assert.deepEqual((await client.querySessions({ subject_id: "alice" })).results, []);
      const refused = await callError(client.removeSessions(removal));
      assert.equal(refused.code, grpc.status.PERMISSION_DENIED);
      assert.match(refused.details, /spiffe:\/\/example\.org\/ns\/ops\/sa\/helpdesk/);
    });
  });

  it("should refuse a certificate with several URI names, a malformed SPIFFE ID, or none that matches no subject rule", async () => {
    const refusedNames = [
      "URI:spiffe://example.org/ns/admin/sa/console,URI:spiffe://example.org/ns/ops/sa/x",
      "URI:spiffe://Example.org/ns/admin/sa/console",
      "URI:spiffe://example.org/ns/admin/sa/console/../console",
      "URI:https://example.org/ns/admin/sa/console",
      "DNS:console.admin.svc",
      "",
    ];
    for (const names of refusedNames) {
      await withClient(certificates.clientWithNames("console", names), async (client) => {
        assert.equal((await callError(client.querySessions({ subject_id: "alice" }))).code, grpc.status.UNAUTHENTICATED, names);
      });
    }
  });

  it("should still match subject rules for a certificate without names", async () => {
    await withClient(certificates.clientWithNames("legacy-console", ""), async (client) => {
      assert.deepEqual((await client.querySessions({ subject_id: "alice" })).results, []);
    });
  });
});

describe("identities from a trusted sidecar (x-forwarded-client-cert)", () => {
  let certificates: TestCertificates;
  let server: TestServer;
  before(async () => {
    certificates = makeTestCertificates();
    // Only 127.0.0.1 is the sidecar; the tests call from 127.0.0.2 as any other peer.
    server = await startTestServer(sqlite!, { clientCertificatesFile: rulesFile(certificates.dir), trustedProxies: "127.0.0.1/32, ::1" });
  });
  after(async () => {
    await server?.stop();
    certificates?.remove();
  });

  const xfcc =
    'By=spiffe://example.org/ns/sm/sa/session-management;Hash=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0;' +
    'Subject="CN=console,O=Example";URI=spiffe://example.org/ns/admin/sa/console;DNS=console.admin.svc';

  /** A Connect call over h2c from `localAddress`, with the given extra headers; returns the HTTP status and the body. */
  const callFrom = (localAddress: string, path: string, headers: Record<string, string>, body: unknown) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const session = http2.connect(`http://127.0.0.1:${server.port}`, {
        createConnection: () => net.connect({ host: "127.0.0.1", port: server.port, localAddress }),
      });
      session.on("error", reject);
      const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/json", ...headers });
      let status = 0;
      let text = "";
      stream.on("response", (h) => (status = Number(h[":status"])));
      stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      stream.on("close", () => {
        session.close();
        resolve({ status, body: text });
      });
      stream.on("error", reject);
      stream.end(JSON.stringify(body));
    });
  const remove = (localAddress: string, headers: Record<string, string>) =>
    callFrom(localAddress, "/sessionmanagement.v1.SessionManagement/RemoveSessions", headers, { subjectId: "nobody", removeServerSideSession: true });

  it("should give a forged header from an untrusted peer nothing", async () => {
    const answer = await remove("127.0.0.2", { "x-forwarded-client-cert": xfcc });
    assert.equal(answer.status, 401);
    assert.match(answer.body, /"code":"unauthenticated"/);
  });

  it("should give the same header from the trusted sidecar the rule's permissions, naming the caller by its SPIFFE ID", async () => {
    const answer = await remove("127.0.0.1", { "x-forwarded-client-cert": xfcc });
    assert.equal(answer.status, 200, answer.body);
    const events = await server.db.stores.audit.findPage({ principalId: "spiffe://example.org/ns/admin/sa/console" }, { direction: "forward" }, 10);
    assert.equal(events.length, 1);
  });

  it("should take the element the sidecar added last, not one forwarded from further out", async () => {
    const forwardedFurther = `${xfcc},By=spiffe://example.org/ns/sm/sa/session-management;URI=spiffe://example.org/ns/ops/sa/helpdesk`;
    const answer = await remove("127.0.0.1", { "x-forwarded-client-cert": forwardedFurther });
    assert.equal(answer.status, 403);
    assert.match(answer.body, /spiffe:\/\/example\.org\/ns\/ops\/sa\/helpdesk/);
  });

  it("should ignore a malformed header or a URI that is not a SPIFFE ID, even from the sidecar", async () => {
    for (const header of ['URI="spiffe://example.org/ns/admin/sa/console', "URI=spiffe://example.org/ns/admin/sa/console;URI=spiffe://x/y", "URI=spiffe://example.org/ns/admin/sa/../console", "Hash=abc", ""]) {
      const answer = await remove("127.0.0.1", { "x-forwarded-client-cert": header });
      assert.equal(answer.status, 401, header);
    }
  });

  it("should let an explicit bearer credential win over the header", async () => {
    const answer = await remove("127.0.0.1", { "x-forwarded-client-cert": xfcc, authorization: "Bearer smk_wrong" });
    assert.equal(answer.status, 401);
  });
});
