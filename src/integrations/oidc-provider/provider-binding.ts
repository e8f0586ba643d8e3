import type Provider from "oidc-provider";
import type { ServiceConnection } from "./service-connection.js";

/** How a user's logout at the provider ends the session in the service. */
export interface ProviderBindingOptions {
  connection: ServiceConnection;
  /**
   * Revoke every token of the session at logout, refresh tokens for
   * `offline_access` included (default true). The provider alone keeps
   * offline refresh tokens alive after logout.
   */
  revokeTokensAtLogout?: boolean;
}

interface SessionInstance {
  id: string;
  uid: string;
  sidFor(clientId: string, value?: string): string | undefined;
}

interface SessionPrototype {
  ensureClientContainer(this: SessionInstance, clientId: string): void;
  destroy(this: SessionInstance): Promise<void>;
}

interface ClientPrototype {
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

/**
 * Makes one provider instance behave as this service expects. Three changes,
 * all to that provider's own model classes (other providers in the process
 * are untouched):
 *
 * 1. One `sid` per session. oidc-provider mints a random `sid` per client
 *    within a session; SessionStore records one session id per session and
 *    every logout token carries it. The session's `uid` (stable for the
 *    session's life, unlike the cookie id that changes at login, and not a
 *    credential) becomes the `sid` of every client, so the `sid` in each
 *    ID token equals the one in the logout token the service sends.
 * 2. A user's logout (the end_session endpoint) ends the session in the
 *    service as a user logout: DeleteSession with the session's tokens
 *    revoked and back-channel logout notifications queued to every client of
 *    the session, in one transaction, delivered and retried by the service's
 *    notifier.
 * 3. The provider's own back-channel logout requests are not sent, so every
 *    path that ends a session (logout at the provider, an administrator's
 *    RemoveSessions, expiry) notifies each relying party exactly once, from
 *    the service's outbox. Keep `features.backchannelLogout` enabled: it is
 *    what lets clients register `backchannel_logout_session_required` and
 *    puts `sid` in ID tokens.
 */
export function bindProviderToService(provider: Provider, options: ProviderBindingOptions): void {
  const { sessions, timeoutMs } = options.connection;
  const revokeTokens = options.revokeTokensAtLogout ?? true;
  const session = (provider.Session as unknown as { prototype: SessionPrototype }).prototype;
  const client = (provider.Client as unknown as { prototype: ClientPrototype }).prototype;

  session.ensureClientContainer = function ensureClientContainer(clientId) {
    if (this.sidFor(clientId) !== this.uid) this.sidFor(clientId, this.uid);
  };

  const destroy = session.destroy;
  session.destroy = async function destroyAsLogout() {
    await sessions.deleteSession({ key: this.id, revokeTokens, sendBackchannelLogoutNotification: true }, { timeoutMs });
    await destroy.call(this);
  };

  client.backchannelLogout = async () => {
    // The service's notifier delivers back-channel logout (see 3. above).
  };
}
