import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SessionManagement } from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { bindProviderToService, createServiceAdapter, createServiceConnection, type ServiceConnection } from "../../../src/integrations/oidc-provider/index.js";
import { findDemoAccount } from "../../../src/integrations/oidc-provider/demo/accounts.js";
import { demoClientId, providerClient, serviceClientsFile } from "../../../src/integrations/oidc-provider/demo/clients.js";
import { startIdentityProvider, type IdentityProvider } from "../../../src/integrations/oidc-provider/demo/identity-provider.js";
import { listenRelyingParty, startRelyingParty, type RelyingParty } from "../../../src/integrations/oidc-provider/demo/relying-party.js";
import { createSigningKey } from "../../../src/integrations/oidc-provider/demo/signing-key.js";
import { startServerProcess, type ServerProcess } from "../../support/server-process.js";
import { startTcpProxy, type TcpProxy } from "../../support/tcp-proxy.js";
import { bearerInterceptor, testApiKey } from "../../support/test-credentials.js";

/** The client id of the second relying party. */
export const secondClientId = "second-rp";

/** The service, oidc-provider on it, and a relying party, all on loopback. */
export interface Stack {
  service: ServerProcess;
  /** The provider reaches the service through this proxy, which can cut it off. */
  proxy: TcpProxy;
  connection: ServiceConnection;
  idp: IdentityProvider;
  rp: RelyingParty;
  /** A second relying party (client id `second-rp`) on the same provider. */
  rp2: RelyingParty;
  admin: Client<typeof SessionManagement>;
  clientSecret: string;
  /** Server errors the provider answered with. */
  serverErrors: Error[];
  close(): Promise<void>;
}

export interface StackOptions {
  /** Session lifetime at the provider, in seconds. */
  sessionTtl?: number;
  sweeperIntervalMs?: number;
  /** The adapter's per-call deadline. */
  timeoutMs?: number;
}

/** Starts the service on `databaseUrl`, then the provider and the relying party. */
export async function startStack(databaseUrl: string, options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "sm-oidc-"));
  const signingKey = await createSigningKey();
  const listening = await listenRelyingParty();
  const listening2 = await listenRelyingParty();
  writeFileSync(join(dir, "key.json"), JSON.stringify(signingKey));
  writeFileSync(join(dir, "clients.json"), JSON.stringify(serviceClientsFile([{ url: listening.url }, { url: listening2.url, clientId: secondClientId }])));
  const service = startServerProcess({ DATABASE_URL: databaseUrl }, [
    "--port=0",
    "--http-port=0",
    `--signing-key-files=${join(dir, "key.json")}`,
    `--clients=${join(dir, "clients.json")}`,
    "--notifier-allow-addresses=127.0.0.1/32",
    "--allow-http-logout-uris=true",
    "--notifier-retry-base-ms=200",
    `--sweeper-interval-ms=${options.sweeperIntervalMs ?? 60_000}`,
  ]);
  const port = await service.port;
  const proxy = await startTcpProxy("127.0.0.1", port);
  const connection = createServiceConnection({ baseUrl: `http://127.0.0.1:${proxy.port}`, apiKey: testApiKey, timeoutMs: options.timeoutMs ?? 5000 });
  const clientSecret = randomBytes(24).toString("base64url");
  const serverErrors: Error[] = [];
  const idp = await startIdentityProvider({
    clients: [providerClient(listening.url, clientSecret), providerClient(listening2.url, clientSecret, secondClientId)],
    signingKey,
    ...(options.sessionTtl ? { ttl: { session: options.sessionTtl } } : {}),
    prepare: (provider) => bindProviderToService(provider, { connection }),
    adapter: (issuer) => createServiceAdapter({ connection, issuer, displayName: (id) => findDemoAccount(id)?.name }),
    onServerError: (error) => serverErrors.push(error),
    fetchLoopback: true,
  });
  const rp = startRelyingParty(listening, { issuer: idp.issuer, clientId: demoClientId, clientSecret, exposeTokens: true });
  const rp2 = startRelyingParty(listening2, { issuer: idp.issuer, clientId: secondClientId, clientSecret, exposeTokens: true });
  const admin = createClient(SessionManagement, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}`, interceptors: [bearerInterceptor()] }));
  return {
    service,
    proxy,
    connection,
    idp,
    rp,
    rp2,
    admin,
    clientSecret,
    serverErrors,
    async close() {
      await rp.close();
      await rp2.close();
      await idp.close();
      connection.close();
      await proxy.close();
      service.child.kill("SIGTERM");
      await service.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
