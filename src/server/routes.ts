import type { ConnectRouter } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { PageTokenCodec } from "../domain/page-token.js";
import type { SessionCounter } from "../service/session-counter.js";
import { registerSessionManagement } from "../service/session-management.js";
import type { Stores } from "../store/stores.js";
import type { Config } from "./config.js";

/** Everything the services are built from. */
export interface ServiceDeps {
  config: Config;
  logger: Logger;
  stores: Stores;
  pageTokens: PageTokenCodec;
  counter: SessionCounter;
}

/** Registers every service the server offers. */
export function createRoutes(deps: ServiceDeps): (router: ConnectRouter) => void {
  return (router) => {
    registerSessionManagement(router, { sessions: deps.stores.sessions, stores: deps.stores, pageTokens: deps.pageTokens, counter: deps.counter });
  };
}
