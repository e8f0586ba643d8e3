import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { permissions } from "../../../service/auth/permissions.js";
import { bindProviderToService, createServiceAdapter, createServiceConnection } from "../index.js";
import { demoAccounts, findDemoAccount } from "./accounts.js";
import { demoClientId, providerClient, serviceClientsFile } from "./clients.js";
import { startIdentityProvider } from "./identity-provider.js";
import { listenRelyingParty, startRelyingParty } from "./relying-party.js";
import { startServiceProcess } from "./service-process.js";
import { createSigningKey } from "./signing-key.js";

/**
 * `npm run demo`: the service on a fresh SQLite database, oidc-provider on
 * it, and an express-openid-connect relying party, all on 127.0.0.1. Nothing
 * is fetched from or sent to any other machine.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "provider-port": { type: "string", default: "3000" },
      "rp-port": { type: "string", default: "3001" },
      "keep-data": { type: "boolean", default: false },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "session-demo-"));
  const signingKey = await createSigningKey();
  const providerKey = `smk_${randomBytes(24).toString("base64url")}`;
  const adminKey = `smk_${randomBytes(24).toString("base64url")}`;
  const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");
  writeFileSync(join(dir, "signing-key.json"), JSON.stringify(signingKey), { mode: 0o600 });
  writeFileSync(
    join(dir, "api-keys.json"),
    JSON.stringify({
      keys: [
        { id: "demo-provider", sha256: sha256(providerKey), permissions: ["store.write"] },
        { id: "demo-admin", sha256: sha256(adminKey), permissions: [...permissions] },
      ],
    }),
  );
  const listening = await listenRelyingParty(Number(values["rp-port"]));
  writeFileSync(join(dir, "clients.json"), JSON.stringify(serviceClientsFile([{ url: listening.url }])));

  const service = await startServiceProcess(
    [
      `--database-url=sqlite:${join(dir, "sessions.db")}`,
      "--port=0",
      "--http-port=0",
      `--api-keys-file=${join(dir, "api-keys.json")}`,
      `--signing-key-files=${join(dir, "signing-key.json")}`,
      `--clients=${join(dir, "clients.json")}`,
      "--notifier-allow-addresses=127.0.0.1/32",
      "--allow-http-logout-uris=true",
      "--sweeper-interval-ms=5000",
    ],
    join(dir, "service.log"),
  );
  const connection = createServiceConnection({ baseUrl: `http://127.0.0.1:${service.port}`, apiKey: providerKey });
  const clientSecret = randomBytes(24).toString("base64url");
  const idp = await startIdentityProvider({
    port: Number(values["provider-port"]),
    clients: [providerClient(listening.url, clientSecret)],
    signingKey,
    adapter: (issuer) => createServiceAdapter({ connection, issuer, displayName: (id) => findDemoAccount(id)?.name }),
    prepare: (provider) => bindProviderToService(provider, { connection }),
    onServerError: (error) => process.stderr.write(`provider: ${error.message}\n`),
  });
  const rp = startRelyingParty(listening, { issuer: idp.issuer, clientId: demoClientId, clientSecret });

  process.stdout.write(
    [
      "",
      "Session management demo: everything runs on 127.0.0.1; nothing leaves this machine.",
      "",
      `  Relying party      ${rp.url}`,
      `      sign in as ${demoAccounts.map((a) => `${a.id} / ${a.password}`).join(" or ")}`,
      `  Identity provider  ${idp.issuer}   (oidc-provider, sessions and tokens kept by the service)`,
      `  Admin page         http://127.0.0.1:${service.httpPort}/admin/`,
      `      admin key      ${adminKey}`,
      `  Service (gRPC)     127.0.0.1:${service.port}   data and log in ${dir}`,
      "",
      "Sign in at the relying party, find the session on the admin page, end it there,",
      "then reload the relying party: it has been told by back-channel logout and asks you to sign in again.",
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stdout.write(`\n${signal}: stopping\n`);
  await rp.close();
  await idp.close();
  connection.close();
  await service.stop();
  if (values["keep-data"]) process.stdout.write(`data kept in ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}

await main();
