import type { ConnectRouter } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { PageTokenCodec } from "../domain/page-token.js";
import type { SessionCounter } from "../service/session-counter.js";
import { registerLogoutNotifications } from "../service/logout-notifications.js";
import { registerClientRegistry } from "../service/client-registry.js";
import { registerGrantStore } from "../service/grant-store.js";
import { registerSessionManagement } from "../service/session-management.js";
import { registerSessionStore } from "../service/session-store.js";
import type { Stores } from "../store/stores.js";
import type { Config } from "./config.js";

/** Everything the services are built from. */
export interface ServiceDeps {
  config: Config;
  logger: Logger;
  stores: Stores;
  pageTokens: PageTokenCodec;
  counter: SessionCounter;
  /** The outbox dispatcher: woken when notifications are queued (a no-op where this instance does not deliver). */
  notifier: { wake(): void };
}

/** Registers every service the server offers. */
export function createRoutes(deps: ServiceDeps): (router: ConnectRouter) => void {
  return (router) => {
    registerSessionManagement(router, { sessions: deps.stores.sessions, stores: deps.stores, pageTokens: deps.pageTokens, counter: deps.counter, notifier: deps.notifier });
    registerLogoutNotifications(router, { stores: deps.stores, pageTokens: deps.pageTokens, notifier: deps.notifier });
    registerSessionStore(router, { stores: deps.stores, pageTokens: deps.pageTokens, notifier: deps.notifier });
    registerGrantStore(router, { stores: deps.stores, pageTokens: deps.pageTokens });
    registerClientRegistry(router, { stores: deps.stores, pageTokens: deps.pageTokens, logoutUris: { allowHttp: deps.config.allowHttpLogoutUris } });
  };
}
