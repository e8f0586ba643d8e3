import type { AdapterFactory } from "oidc-provider";
import { createGrantAdapter } from "./grant-adapter.js";
import { createGrantRevocation } from "./grant-revocation.js";
import { createLoadedSessions } from "./loaded-sessions.js";
import { createMemoryStore } from "./memory-store.js";
import { placeOf } from "./model-mapping.js";
import type { ServiceConnection } from "./service-connection.js";
import { createSessionAdapter } from "./session-adapter.js";

/** How the provider's models are stored. */
export interface ServiceAdapterOptions {
  connection: ServiceConnection;
  /** The provider's issuer, exactly as in its discovery document. */
  issuer: string;
  /** The display name of an account (shown and searched on the admin page); none by default. */
  displayName?: (accountId: string) => string | undefined | Promise<string | undefined>;
  /** Where short-lived models and sessions before login go; in this process's memory by default. */
  shortLived?: AdapterFactory;
}

/**
 * The adapter to give oidc-provider (`new Provider(issuer, { adapter })`):
 * sessions go to SessionStore, tokens, codes and grants to GrantStore, and
 * short-lived state to `shortLived` (see model-mapping.ts for the table).
 */
export function createServiceAdapter(options: ServiceAdapterOptions): AdapterFactory {
  const shortLived = options.shortLived ?? createMemoryStore();
  const revokeGrant = createGrantRevocation(options.connection);
  const loaded = createLoadedSessions();
  return (model) => {
    const place = placeOf(model);
    switch (place.kind) {
      case "session":
        return createSessionAdapter({
          connection: options.connection,
          issuer: options.issuer,
          ...(options.displayName ? { displayName: options.displayName } : {}),
          anonymous: shortLived(model),
          loaded,
        });
      case "grant":
        return createGrantAdapter(model, place.type, { connection: options.connection, revokeGrant });
      case "short-lived":
        return shortLived(model);
    }
  };
}
