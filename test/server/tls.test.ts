import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import tls from "node:tls";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { testBackends } from "../support/backends.js";
import { makeTestCertificates, pem, type TestCertificates } from "../support/certificates.js";
import {
  callError,
  clientRegistryClient,
  grpc,
  logoutNotificationsClient,
  sessionManagementClient,
  type ClientOptions,
} from "../support/grpc-client.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { bearerInterceptor, permissionKeys } from "../support/test-credentials.js";

const [sqlite] = await testBackends();

/** A client certificate and its key, as files. */
type KeyPair = { cert: string; key: string };

describe("the server over TLS", () => {
  let certificates: TestCertificates;
  before(() => {
    certificates = makeTestCertificates();
  });
  after(() => {
    certificates?.remove();
  });

  /**
   * grpc-js over TLS, trusting the test CA, optionally presenting a client
   * certificate; the server name (SNI) is the certificate's DNS name, as SNI
   * takes no IP addresses.
   */
  const overTls = (client?: KeyPair, options: ClientOptions = {}): ClientOptions => ({
    channel: grpc.credentials.createSsl(pem(certificates.caCert), client && pem(client.key), client && pem(client.cert)),
    channelOptions: { "grpc.ssl_target_name_override": "localhost" },
    ...options,
  });

  /** An HTTPS GET over HTTP/1.1 that trusts the test CA. */
  const httpsGet = (port: number, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      https
        .get({ host: "127.0.0.1", port, path, ca: pem(certificates.caCert), agent: false }, (response) => {
          let body = "";
          response.on("data", (chunk) => (body += chunk));
          response.on("end", () => resolve({ status: response.statusCode!, body }));
        })
        .on("error", reject);
    });

  describe("with a server certificate", () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(sqlite!, { tlsCertFile: certificates.serverCert, tlsKeyFile: certificates.serverKey });
    });
    after(async () => {
      await server?.stop();
    });

    it("should serve HTTP/1.1 on the main port and open no cleartext port", () => {
      assert.equal(server.httpPort, server.port);
    });

    it("should serve gRPC to a client that trusts the CA and sends an API key", async () => {
      const client = sessionManagementClient(server.port, overTls());
      try {
        assert.deepEqual((await client.querySessions({ subject_id: "alice" })).results, []);
      } finally {
        client.close();
      }
    });

    it("should not be reachable in cleartext (h2c) or by a client that does not trust its certificate", async () => {
      const cleartext = sessionManagementClient(server.port);
      const untrusting = sessionManagementClient(server.port, { ...overTls(), channel: grpc.credentials.createSsl() });
      try {
        assert.equal((await callError(cleartext.querySessions({ subject_id: "alice" }, { deadlineMs: 5000 }))).code, grpc.status.UNAVAILABLE);
        assert.equal((await callError(untrusting.querySessions({ subject_id: "alice" }, { deadlineMs: 5000 }))).code, grpc.status.UNAVAILABLE);
      } finally {
        cleartext.close();
        untrusting.close();
      }
    });

    it("should serve the probes and the JWK Set over HTTP/1.1 on the same port", async () => {
      const healthz = await httpsGet(server.port, "/healthz");
      assert.equal(healthz.status, 200);
      assert.equal((await httpsGet(server.port, "/readyz")).status, 200);
      const jwks = await httpsGet(server.port, "/.well-known/jwks.json");
      assert.equal(jwks.status, 200);
      const keys = (JSON.parse(jwks.body) as { keys: { kid?: string }[] }).keys;
      assert.ok(keys.length > 0 && keys.every((key) => typeof key.kid === "string"));
    });

    it("should serve Connect calls over HTTP/1.1 on the same port", async () => {
      const client = createClient(
        SessionManagement,
        createConnectTransport({
          baseUrl: `https://127.0.0.1:${server.port}`,
          httpVersion: "1.1",
          nodeOptions: { ca: pem(certificates.caCert) },
          interceptors: [bearerInterceptor()],
        }),
      );
      assert.deepEqual((await client.querySessions({ subjectId: "alice" })).results, []);
      const refused = await createClient(
        SessionManagement,
        createConnectTransport({ baseUrl: `https://127.0.0.1:${server.port}`, httpVersion: "1.1", nodeOptions: { ca: pem(certificates.caCert) } }),
      )
        .querySessions({ subjectId: "alice" })
        .then(
          () => assert.fail("expected UNAUTHENTICATED"),
          (e: unknown) => ConnectError.from(e),
        );
      assert.equal(refused.code, Code.Unauthenticated);
    });

    it("should offer h2 and http/1.1 by ALPN, preferring h2", async () => {
      const negotiate = (protocols: string[]) =>
        new Promise<string | false>((resolve, reject) => {
          const socket = tls.connect({ host: "127.0.0.1", port: server.port, ca: pem(certificates.caCert), ALPNProtocols: protocols }, () => {
            resolve(socket.alpnProtocol ?? false);
            socket.end();
          });
          socket.on("error", reject);
        });
      assert.equal(await negotiate(["h2"]), "h2");
      assert.equal(await negotiate(["http/1.1"]), "http/1.1");
      assert.equal(await negotiate(["h2", "http/1.1"]), "h2");
      assert.equal(await negotiate(["http/1.1", "h2"]), "h2");
    });
  });

  describe("with client certificates (mutual TLS)", () => {
    let server: TestServer;
    let reader: KeyPair;
    let admin: KeyPair;
    before(async () => {
      const rules = join(certificates.dir, "client-certificates.yaml");
      writeFileSync(
        rules,
        [
          "rules:",
          "  - subject: CN=ops-console,O=Example",
          "    permissions: [sessions.read]",
          "  - subject: CN=session-admin",
          "    permissions: [sessions.read, sessions.write]",
          "",
        ].join("\n"),
      );
      reader = certificates.client("ops-console", "Example");
      admin = certificates.client("session-admin");
      server = await startTestServer(sqlite!, {
        tlsCertFile: certificates.serverCert,
        tlsKeyFile: certificates.serverKey,
        tlsClientCaFile: certificates.caCert,
        clientCertificatesFile: rules,
      });
    });
    after(async () => {
      await server?.stop();
    });

    it("should admit a certificate that matches a rule without any bearer, with exactly that rule's permissions", async () => {
      const options = overTls(reader, { bearer: null });
      const sessions = sessionManagementClient(server.port, options);
      const notifications = logoutNotificationsClient(server.port, options);
      const clients = clientRegistryClient(server.port, options);
      try {
        assert.deepEqual((await sessions.querySessions({ subject_id: "alice" })).results, []);
        assert.deepEqual((await notifications.listNotifications({})).results, []);
        assert.equal((await callError(sessions.removeSessions({ subject_id: "alice" }))).code, grpc.status.PERMISSION_DENIED);
        assert.equal((await callError(notifications.retryNotifications({ notification_ids: ["1"] }))).code, grpc.status.PERMISSION_DENIED);
        assert.equal((await callError(clients.listClients({}))).code, grpc.status.PERMISSION_DENIED);
      } finally {
        sessions.close();
        notifications.close();
        clients.close();
      }
      const writer = sessionManagementClient(server.port, overTls(admin, { bearer: null }));
      try {
        assert.equal((await writer.removeSessions({ subject_id: "alice" })).sessions_removed, 0);
      } finally {
        writer.close();
      }
    });

    it("should admit a certificate over HTTP/1.1 too", async () => {
      const client = createClient(
        SessionManagement,
        createConnectTransport({
          baseUrl: `https://127.0.0.1:${server.port}`,
          httpVersion: "1.1",
          nodeOptions: { ca: pem(certificates.caCert), cert: pem(reader.cert), key: pem(reader.key) },
        }),
      );
      assert.deepEqual((await client.querySessions({ subjectId: "alice" })).results, []);
      const denied = await client.removeSessions({ subjectId: "alice" }).then(
        () => assert.fail("expected PERMISSION_DENIED"),
        (e: unknown) => ConnectError.from(e),
      );
      assert.equal(denied.code, Code.PermissionDenied);
    });

    it("should still admit API keys from clients without a certificate", async () => {
      const client = sessionManagementClient(server.port, overTls());
      try {
        assert.equal((await client.removeSessions({ subject_id: "alice" })).sessions_removed, 0);
      } finally {
        client.close();
      }
    });

    const refusals: [string, () => ClientOptions][] = [
      // Same subject as an admitted certificate: only the CA makes the difference.
      ["a certificate from a CA the server does not trust", () => overTls(certificates.foreignClient("ops-console"), { bearer: null })],
      ["a trusted certificate whose subject matches no rule", () => overTls(certificates.client("ops-console", "Elsewhere"), { bearer: null })],
      ["a call with neither a certificate nor a key", () => overTls(undefined, { bearer: null })],
      ["a matching certificate with a wrong bearer key", () => overTls(admin, { bearer: "smk_not-a-key-the-server-knows" })],
    ];
    for (const [what, options] of refusals) {
      it(`should refuse ${what} as UNAUTHENTICATED`, async () => {
        const client = sessionManagementClient(server.port, options());
        try {
          const error = await callError(client.querySessions({ subject_id: "alice" }));
          assert.equal(error.code, grpc.status.UNAUTHENTICATED, error.details);
        } finally {
          client.close();
        }
      });
    }

    it("should judge a call by its bearer key, not its certificate, when it sends both", async () => {
      const client = sessionManagementClient(server.port, overTls(admin, { bearer: permissionKeys["audit.read"] }));
      try {
        assert.equal((await callError(client.querySessions({ subject_id: "alice" }))).code, grpc.status.PERMISSION_DENIED);
      } finally {
        client.close();
      }
    });
  });
});
