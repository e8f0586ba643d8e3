import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { checkDemoLogin } from "./accounts.js";
import { escapeHtml, page } from "./pages.js";

/** Handles the provider's login and consent pages; answers false for other paths. */
export type InteractionHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const route = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/;

/**
 * Minimal login and consent pages for the demo provider (in place of the
 * provider's development pages, which load a web font from the internet):
 * a login form checked against the demo accounts, and a consent form that
 * grants what the client asked for.
 */
export function createInteractionHandler(provider: Provider): InteractionHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = route.exec(url.pathname);
    if (match === null) return false;
    const [, uid, action] = match;
    res.setHeader("cache-control", "no-store");
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return sendPage(res, 400, "Wrong interaction", "<p>Start again from the application.</p>");
    if (action === undefined && req.method === "GET") {
      return details.prompt.name === "login" ? sendPage(res, 200, "Sign in", loginForm(uid!, "")) : sendPage(res, 200, "Allow access?", consentForm(uid!, String(details.params.client_id)));
    }
    if (action === "abort") {
      await provider.interactionFinished(req, res, { error: "access_denied", error_description: "the user cancelled" }, { mergeWithLastSubmission: false });
      return true;
    }
    if (req.method !== "POST") return sendPage(res, 405, "Not allowed", "");
    const form = new URLSearchParams(await readBody(req));
    if (action === "login") {
      const account = checkDemoLogin(form.get("login") ?? "", form.get("password") ?? "");
      if (account === undefined) return sendPage(res, 200, "Sign in", loginForm(uid!, "Unknown login or wrong password."));
      await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
      return true;
    }
    const { prompt, params, session, grantId } = details;
    if (prompt.name !== "consent" || session === undefined) return sendPage(res, 400, "Nothing to confirm", "");
    const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
    if (grant === undefined) return sendPage(res, 400, "Grant not found", "<p>Start again from the application.</p>");
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    return true;
  };
}

function loginForm(uid: string, problem: string): string {
  return `${problem ? `<p><strong>${escapeHtml(problem)}</strong></p>` : ""}
<form method="post" action="/interaction/${uid}/login">
<p><label>Login <input name="login" autofocus required></label></p>
<p><label>Password <input name="password" type="password" required></label></p>
<p><button type="submit">Sign in</button> <a href="/interaction/${uid}/abort">Cancel</a></p></form>`;
}

function consentForm(uid: string, clientId: string): string {
  return `<p><strong>${escapeHtml(clientId)}</strong> asks to know who you are and to stay signed in (offline access).</p>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button> <a href="/interaction/${uid}/abort">Cancel</a></form>`;
}

function sendPage(res: ServerResponse, status: number, title: string, body: string): true {
  res.statusCode = status;
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.end(page(title, body));
  return true;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error("form too large");
  }
  return body;
}
