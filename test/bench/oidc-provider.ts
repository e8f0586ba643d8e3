// Logins and refresh-token grants per second through oidc-provider 9 end to
// end (provider -> adapter -> service -> MariaDB), against the same provider
// on its in-memory development adapter, with the adapter's latency per model
// and operation. Prints figures and writes them to results/; asserts nothing.
//
//   npm run bench:oidc-provider [-- --seconds=20 --concurrency=8]

import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import type { Adapter, AdapterFactory } from "oidc-provider";
import { bindProviderToService, createServiceAdapter, createServiceConnection } from "../../src/integrations/oidc-provider/index.js";
import { findDemoAccount } from "../../src/integrations/oidc-provider/demo/accounts.js";
import { demoClientId, providerClient } from "../../src/integrations/oidc-provider/demo/clients.js";
import { startIdentityProvider, type IdentityProvider } from "../../src/integrations/oidc-provider/demo/identity-provider.js";
import { createSigningKey } from "../../src/integrations/oidc-provider/demo/signing-key.js";
import { createBrowser } from "../integrations/oidc-provider/browser.js";
import { testBackends } from "../support/backends.js";
import { startServerProcess } from "../support/server-process.js";
import { testApiKey } from "../support/test-credentials.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "20" }, concurrency: { type: "string", default: "8" } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

/** Durations of adapter calls by "Model.operation", in milliseconds. */
type Timings = Map<string, number[]>;

function timed(factory: AdapterFactory, timings: Timings): AdapterFactory {
  return (model) => {
    const inner = factory(model);
    const wrap = <K extends keyof Adapter>(op: K) =>
      (async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await (inner[op] as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          const key = `${model}.${op}`;
          let list = timings.get(key);
          if (list === undefined) timings.set(key, (list = []));
          list.push(performance.now() - start);
        }
      }) as Adapter[K];
    return {
      upsert: wrap("upsert"),
      find: wrap("find"),
      findByUid: wrap("findByUid"),
      findByUserCode: wrap("findByUserCode"),
      consume: wrap("consume"),
      destroy: wrap("destroy"),
      revokeByGrantId: wrap("revokeByGrantId"),
    };
  };
}

interface Run {
  adapter: string;
  loginsPerSecond: number;
  loginP50Ms: number;
  refreshesPerSecond: number;
  refreshP50Ms: number;
  adapterCallsPerLogin?: number;
  adapterCallsPerRefresh?: number;
}

async function measure(name: string, idp: IdentityProvider, callbackUrl: string, clientSecret: string, timings?: Timings): Promise<Run> {
  const basic = `Basic ${Buffer.from(`${demoClientId}:${clientSecret}`).toString("base64")}`;
  const login = async (): Promise<string> => {
    const browser = createBrowser();
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const query = new URLSearchParams({
      client_id: demoClientId,
      response_type: "code",
      scope: "openid profile offline_access",
      prompt: "consent",
      redirect_uri: callbackUrl,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "s",
      nonce: "n",
    });
    let page = await browser.get(`${idp.issuer}/auth?${query}`);
    page = await browser.post(new URL(/action="([^"]+)"/.exec(page.body)![1]!, page.url).toString(), { login: "alice", password: "wonderland" });
    page = await browser.post(new URL(/action="([^"]+)"/.exec(page.body)![1]!, page.url).toString(), {});
    const code = new URL(page.url).searchParams.get("code");
    if (code === null) throw new Error(`no code: ${page.status} ${page.url}`);
    const token = await fetch(`${idp.issuer}/token`, {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: callbackUrl, code_verifier: verifier }),
    });
    const body = (await token.json()) as { refresh_token?: string };
    if (!token.ok || !body.refresh_token) throw new Error(`token endpoint: ${token.status} ${JSON.stringify(body)}`);
    return body.refresh_token;
  };
  const refresh = async (refreshToken: string): Promise<void> => {
    const response = await fetch(`${idp.issuer}/token`, {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
    });
    if (!response.ok) throw new Error(`refresh: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };

  await login(); // warm-up: discovery, keys, connections
  let mark = count(timings);
  const logins = await runFor(seconds, concurrency, login);
  const loginCalls = count(timings) - mark;
  const tokens = await Promise.all(Array.from({ length: concurrency }, () => login()));
  mark = count(timings);
  const refreshes = await runFor(seconds, concurrency, (worker) => refresh(tokens[worker]!));
  const refreshCalls = count(timings) - mark;
  return {
    adapter: name,
    loginsPerSecond: round(logins.done / logins.seconds),
    loginP50Ms: round(percentile(logins.latencies, 0.5)),
    refreshesPerSecond: round(refreshes.done / refreshes.seconds),
    refreshP50Ms: round(percentile(refreshes.latencies, 0.5)),
    ...(timings ? { adapterCallsPerLogin: round(loginCalls / logins.done), adapterCallsPerRefresh: round(refreshCalls / refreshes.done) } : {}),
  };
}

async function runFor(secs: number, workers: number, work: (worker: number) => Promise<unknown>): Promise<{ done: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + secs * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < end) {
        const t = performance.now();
        await work(worker);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { done: latencies.length, seconds: (performance.now() - start) / 1000, latencies };
}

function count(timings: Timings | undefined): number {
  return timings === undefined ? 0 : [...timings.values()].reduce((sum, list) => sum + list.length, 0);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

async function main(): Promise<void> {
  const [, mysql] = await testBackends();
  if (mysql!.skip) throw new Error(mysql!.skip);
  const database = await mysql!.createEmpty();
  const service = startServerProcess({ DATABASE_URL: database.url }, ["--port=0", "--http-port=0"]);
  const callbackServer = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
  const rpUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}`;
  const clientSecret = randomBytes(24).toString("base64url");
  const signingKey = await createSigningKey();
  const runs: Run[] = [];
  const timings: Timings = new Map();
  try {
    const connection = createServiceConnection({ baseUrl: `http://127.0.0.1:${await service.port}`, apiKey: testApiKey });
    const onService = await startIdentityProvider({
      clients: [providerClient(rpUrl, clientSecret)],
      signingKey,
      adapter: (issuer) => timed(createServiceAdapter({ connection, issuer, displayName: (id) => findDemoAccount(id)?.name }), timings),
      prepare: (provider) => bindProviderToService(provider, { connection }),
    });
    runs.push(await measure("service (MariaDB)", onService, `${rpUrl}/callback`, clientSecret, timings));
    await onService.close();
    connection.close();
    const perOperation = [...timings]
      .map(([op, list]) => ({ op, calls: list.length, p50Ms: round(percentile(list, 0.5)), p95Ms: round(percentile(list, 0.95)) }))
      .sort((a, b) => a.op.localeCompare(b.op));
    const inMemory = await startIdentityProvider({ clients: [providerClient(rpUrl, clientSecret)], signingKey });
    runs.push(await measure("in-memory (development adapter)", inMemory, `${rpUrl}/callback`, clientSecret));
    await inMemory.close();
    report(runs, perOperation);
  } finally {
    callbackServer.close();
    service.child.kill("SIGTERM");
    await service.exited;
    await database.remove();
  }
}

function report(runs: Run[], perOperation: Array<{ op: string; calls: number; p50Ms: number; p95Ms: number }>): void {
  const when = new Date().toISOString();
  const lines = [
    `# oidc-provider on the service: logins and refreshes per second`,
    "",
    `${when}; ${seconds} s per measurement, ${concurrency} concurrent clients; oidc-provider 9.13.3 in the benchmark's process, the service as its own process on MariaDB 10.11, all on one machine (2 cores shared with other work: indicative figures).`,
    "A login is the whole flow: authorization request, login form, consent form, code exchange at the token endpoint (PKCE). A refresh is one refresh-token grant.",
    "",
    "| adapter | logins/s | login p50 (ms) | refresh grants/s | refresh p50 (ms) | adapter calls per login | per refresh |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...runs.map((r) => `| ${r.adapter} | ${r.loginsPerSecond} | ${r.loginP50Ms} | ${r.refreshesPerSecond} | ${r.refreshP50Ms} | ${r.adapterCallsPerLogin ?? "-"} | ${r.adapterCallsPerRefresh ?? "-"} |`),
    "",
    "Adapter latency per model and operation (service on MariaDB; every call of the run, warm-up included):",
    "",
    "| operation | calls | p50 (ms) | p95 (ms) |",
    "| --- | --- | --- | --- |",
    ...perOperation.map((o) => `| ${o.op} | ${o.calls} | ${o.p50Ms} | ${o.p95Ms} |`),
    "",
  ];
  const text = lines.join("\n");
  process.stdout.write(`${text}\n`);
  const dir = new URL("./results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`oidc-provider-c${concurrency}.md`, dir), text);
  writeFileSync(new URL(`oidc-provider-c${concurrency}.json`, dir), JSON.stringify({ when, seconds, concurrency, runs, perOperation }, null, 2));
}

await main();
