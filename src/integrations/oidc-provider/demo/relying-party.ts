import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import eoc from "express-openid-connect";

const { auth, requiresAuth } = eoc;
import { escapeHtml, page } from "./pages.js";

/** How to run the demo relying party. */
export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Serve /tokens (the session's tokens as JSON), for tests. */
  exposeTokens?: boolean;
}

/** A logout token the relying party accepted (after express-openid-connect verified it). */
export interface AcceptedLogoutToken {
  iss: string;
  sub?: string;
  sid?: string;
}

/** A relying party that is listening; `start` configures it once the issuer is known. */
export interface RelyingParty {
  url: string;
  /** Logout tokens accepted so far, in order. */
  readonly logoutTokens: readonly AcceptedLogoutToken[];
  close(): Promise<void>;
}

type Callback = (error?: unknown, value?: unknown) => void;

/** Opens the relying party's port first: its URL must be known to register the client. */
export async function listenRelyingParty(port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * express-openid-connect on loopback, with back-channel logout on. A logout
 * token is recorded by its `sid` only (the library's default also records
 * the `sub`, which would log out every session of the user): a session ends
 * only if the `sid` in its ID token is the one the logout token carries.
 */
export function startRelyingParty(listening: { server: Server; url: string }, options: RelyingPartyOptions): RelyingParty {
  const loggedOut = new Map<string, unknown>();
  const logoutTokens: AcceptedLogoutToken[] = [];
  const store = {
    get: (key: string, cb: Callback) => cb(undefined, loggedOut.get(key)),
    set: (key: string, value: unknown, cb: Callback) => {
      loggedOut.set(key, value);
      cb();
    },
    destroy: (key: string, cb: Callback) => {
      loggedOut.delete(key);
      cb();
    },
  };
  const app = express();
  app.use(
    auth({
      issuerBaseURL: options.issuer,
      baseURL: listening.url,
      clientID: options.clientId,
      clientSecret: options.clientSecret,
      secret: randomBytes(32).toString("base64url"),
      authRequired: false,
      idpLogout: true,
      clientAuthMethod: "client_secret_basic",
      authorizationParams: { response_type: "code", scope: "openid profile email offline_access", prompt: "consent" },
      backchannelLogout: {
        store: store as never,
        onLogoutToken: (token: object) => {
          const { iss, sub, sid } = token as AcceptedLogoutToken;
          logoutTokens.push({ iss, ...(sub ? { sub } : {}), ...(sid ? { sid } : {}) });
          if (sid) loggedOut.set(`${iss}|${sid}`, { cookie: { expires: Date.now() + 86_400_000, maxAge: 86_400_000 } });
        },
      },
    }),
  );
  app.get("/", (req, res) => {
    const user = req.oidc.user;
    res.type("html").send(
      page(
        "Demo relying party",
        user
          ? `<p>Signed in as <strong>${escapeHtml(String(user.name ?? user.sub))}</strong>.</p>
<p class="muted">sid ${escapeHtml(String(req.oidc.idTokenClaims?.sid ?? "(none)"))}</p>
<p><a href="/profile">Profile</a> · <a href="/logout">Sign out</a></p>`
          : `<p>You are not signed in.</p><p><a href="/login">Sign in</a></p>`,
      ),
    );
  });
  app.get("/profile", requiresAuth(), (req, res) => {
    res.type("html").send(page("Profile", `<pre>${escapeHtml(JSON.stringify(req.oidc.idTokenClaims, null, 2))}</pre><p><a href="/">Home</a></p>`));
  });
  if (options.exposeTokens) {
    app.get("/tokens", requiresAuth(), (req, res) => {
      res.json({
        sub: req.oidc.idTokenClaims?.sub,
        sid: req.oidc.idTokenClaims?.sid,
        accessToken: req.oidc.accessToken?.access_token,
        refreshToken: req.oidc.refreshToken,
      });
    });
  }
  listening.server.on("request", app);
  return {
    url: listening.url,
    logoutTokens,
    close: () =>
      new Promise<void>((resolve) => {
        listening.server.close(() => resolve());
        listening.server.closeAllConnections();
      }),
  };
}
