import assert from "node:assert/strict";
import { demoClientId } from "../../../src/integrations/oidc-provider/demo/clients.js";
import { hiddenFields, type Browser, type Page } from "./browser.js";
import type { Stack } from "./stack.js";

/** What the relying party holds for a signed-in user. */
export interface RpSession {
  sub: string;
  sid: string;
  accessToken: string;
  refreshToken: string;
}

/** Signs in at the relying party through the provider's login and consent pages. */
export async function login(stack: Stack, browser: Browser, account = "alice", password = "wonderland", rp = stack.rp): Promise<RpSession> {
  let page = await browser.get(`${rp.url}/login`);
  if (isLoginPage(page)) page = await browser.post(formAction(page), { login: account, password });
  if (isConsentPage(page)) page = await browser.post(formAction(page), {});
  assert.equal(page.status, 200, `expected the relying party's home page, got ${page.status} at ${page.url}: ${page.body.slice(0, 500)}`);
  assert.ok(page.url.startsWith(rp.url), `expected to land at the relying party, got ${page.url}`);
  return rpSession(rp, browser);
}

/** The relying party's view of the session (its /tokens route). */
export async function rpSession(rp: { url: string }, browser: Browser): Promise<RpSession> {
  const page = await browser.get(`${rp.url}/tokens`);
  assert.equal(page.status, 200, `expected /tokens, got ${page.status} at ${page.url}`);
  return JSON.parse(page.body) as RpSession;
}

/** Signs out at the provider's end_session endpoint, confirming "sign me out". */
export async function logoutAtProvider(stack: Stack, browser: Browser): Promise<Page> {
  const prompt = await browser.get(`${stack.idp.issuer}/session/end?client_id=${demoClientId}`);
  assert.match(prompt.body, /op\.logoutForm/, `expected the logout prompt, got ${prompt.status}: ${prompt.body.slice(0, 300)}`);
  const action = /<form id="op\.logoutForm" method="post" action="([^"]+)"/.exec(prompt.body)![1]!;
  return browser.post(new URL(action, stack.idp.issuer).toString(), { ...hiddenFields(prompt.body), logout: "yes" });
}

/** Whether the page is the provider's login form. */
export function isLoginPage(page: Page): boolean {
  return /\/interaction\/[^/]+\/login"/.test(page.body);
}

function isConsentPage(page: Page): boolean {
  return /\/interaction\/[^/]+\/confirm"/.test(page.body);
}

function formAction(page: Page): string {
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)![1]!;
  return new URL(action, page.url).toString();
}

/** A refresh-token grant at the provider's token endpoint, as the relying party would make it. */
export async function refresh(stack: Stack, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return tokenEndpoint(stack, "/token", { grant_type: "refresh_token", refresh_token: refreshToken });
}

/** Token introspection at the provider. */
export async function introspect(stack: Stack, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return tokenEndpoint(stack, "/token/introspection", { token });
}

async function tokenEndpoint(stack: Stack, path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.idp.issuer}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${demoClientId}:${stack.clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
