import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import Provider, { type AdapterFactory, type ClientMetadata, type Configuration, type JWK, type KoaContextWithOIDC } from "oidc-provider";
import { findDemoAccount } from "./accounts.js";
import { createInteractionHandler } from "./interactions.js";
import { escapeHtml, page } from "./pages.js";

/** How to run the demo identity provider. */
export interface IdentityProviderOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The adapter for the provider's issuer; the provider's in-memory development adapter when unset. */
  adapter?: (issuer: string) => AdapterFactory;
  /** Called with the provider before it serves (e.g. bindProviderToService). */
  prepare?: (provider: Provider, issuer: string) => void;
  /** The relying parties. */
  clients: ClientMetadata[];
  /** The private key that signs ID tokens (the service signs logout tokens with the same key). */
  signingKey: JWK;
  /** Lifetimes in seconds. */
  ttl?: { session?: number; accessToken?: number; refreshToken?: number };
  /**
   * Let the provider's own outgoing requests reach loopback (they refuse
   * special-use addresses by default). Tests turn this on so that a
   * back-channel logout request the provider sent itself would arrive and be
   * counted.
   */
  fetchLoopback?: boolean;
  /** Told about every server error the provider answers with (adapter failures among them). */
  onServerError?: (error: Error) => void;
}

/** A running identity provider. */
export interface IdentityProvider {
  provider: Provider;
  issuer: string;
  close(): Promise<void>;
}

/**
 * Starts oidc-provider on loopback with the demo accounts, local login and
 * consent pages, back-channel logout, introspection and revocation.
 */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, configuration(options, issuer));
  options.prepare?.(provider, issuer);
  if (options.onServerError) {
    const report = options.onServerError;
    provider.on("server_error", (_ctx: KoaContextWithOIDC, error: Error) => report(error));
  }
  const interactions = createInteractionHandler(provider);
  const callback = provider.callback();
  server.on("request", (req, res) => {
    interactions(req, res).then(
      (handled) => {
        if (!handled) void callback(req, res);
      },
      (error: Error) => {
        options.onServerError?.(error);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader("content-type", "text/html; charset=utf-8");
          res.end(page("Something went wrong", "<p>Please try again.</p>"));
        } else res.end();
      },
    );
  });
  return {
    provider,
    issuer,
    close: () => closeServer(server),
  };
}

function configuration(options: IdentityProviderOptions, issuer: string): Configuration {
  const ttl = options.ttl ?? {};
  return {
    ...(options.adapter ? { adapter: options.adapter(issuer) } : {}),
    clients: options.clients,
    jwks: { keys: [options.signingKey] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], profile: ["name"], email: ["email"] },
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => {
      const account = findDemoAccount(id);
      return account === undefined
        ? undefined
        : { accountId: account.id, claims: () => ({ sub: account.id, name: account.name, email: account.email }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        logoutSource: (ctx, form) => {
          ctx.body = page(
            "Sign out?",
            `${form}<p><button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button> <button type="submit" form="op.logoutForm">No, stay signed in</button></p>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = page("Signed out", "<p>You are signed out.</p>");
        },
      },
    },
    ...(options.fetchLoopback
      ? {
          fetch: (url: Parameters<typeof fetch>[0], init?: RequestInit) => {
            const { dispatcher: _ssrfGuard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
            return globalThis.fetch(url, rest);
          },
        }
      : {}),
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = page("Sign-in failed", `<pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`);
    },
    ttl: {
      Session: ttl.session ?? 24 * 3600,
      AccessToken: ttl.accessToken ?? 3600,
      RefreshToken: ttl.refreshToken ?? 14 * 24 * 3600,
      Grant: ttl.refreshToken ?? 14 * 24 * 3600,
      Interaction: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
