import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { Logger } from "pino";
import { Health } from "../../gen/ts/grpc/health/v1/health_pb.js";
import { ServerReflection as ServerReflectionV1 } from "../../gen/ts/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1alpha } from "../../gen/ts/grpc/reflection/v1alpha/reflection_pb.js";
import { AuditLog } from "../../gen/ts/sessionmanagement/v1/audit_log_pb.js";
import { ClientRegistry } from "../../gen/ts/sessionmanagement/v1/client_registry_pb.js";
import { GrantStore } from "../../gen/ts/sessionmanagement/v1/grant_store_pb.js";
import { LogoutNotifications } from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { SessionStore } from "../../gen/ts/sessionmanagement/v1/session_store_pb.js";
import { SessionExport, SessionTermination } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import type { PageTokenCodec } from "../domain/page-token.js";
import { registerAuditLog } from "../service/audit-log.js";
import { registerClientRegistry } from "../service/client-registry.js";
import { createDescriptorIndex } from "../service/descriptor-index.js";
import { registerGrantStore } from "../service/grant-store.js";
import { registerHealth, type HealthState } from "../service/health.js";
import { registerLogoutNotifications } from "../service/logout-notifications.js";
import { registerReflection } from "../service/reflection.js";
import type { SessionCounter } from "../service/session-counter.js";
import { registerSessionManagement } from "../service/session-management.js";
import { registerSessionExport } from "../service/session-export.js";
import { registerSessionStore } from "../service/session-store.js";
import { registerSessionTermination } from "../service/session-termination.js";
import type { Stores } from "../store/stores.js";
import type { Config } from "./config.js";

/** The services this server's own API offers; health checks report each of them. */
export const apiServices: readonly DescService[] = [
  SessionManagement,
  LogoutNotifications,
  SessionStore,
  GrantStore,
  ClientRegistry,
  AuditLog,
  SessionTermination,
  SessionExport,
];

/** Every service served, as reflection lists them. */
export const allServices: readonly DescService[] = [...apiServices, Health, ServerReflectionV1, ServerReflectionV1alpha];

/** Everything the services are built from. */
export interface ServiceDeps {
  config: Config;
  logger: Logger;
  stores: Stores;
  pageTokens: PageTokenCodec;
  counter: SessionCounter;
  /** The outbox dispatcher: woken when notifications are queued (a no-op where this instance does not deliver). */
  notifier: { wake(): void };
  /** The termination job runner: woken when a job is started (a no-op where this instance runs none). */
  terminationRunner: { wake(): void };
  health: HealthState;
  /** Told when a call cancels a termination job (the metrics). */
  onJobCancelled?: () => void;
}

/** Registers every service the server offers. */
export function createRoutes(deps: ServiceDeps): (router: ConnectRouter) => void {
  const descriptors = createDescriptorIndex(allServices);
  return (router) => {
    registerSessionManagement(router, { sessions: deps.stores.sessions, stores: deps.stores, pageTokens: deps.pageTokens, counter: deps.counter, notifier: deps.notifier });
    registerLogoutNotifications(router, { stores: deps.stores, pageTokens: deps.pageTokens, notifier: deps.notifier });
    const limits = { ticketBytes: deps.config.maxTicketBytes, grantDataBytes: deps.config.maxGrantDataBytes, pageBytes: deps.config.maxPageBytes };
    registerSessionStore(router, { stores: deps.stores, pageTokens: deps.pageTokens, notifier: deps.notifier, limits });
    registerGrantStore(router, { stores: deps.stores, pageTokens: deps.pageTokens, limits });
    registerClientRegistry(router, { stores: deps.stores, pageTokens: deps.pageTokens, logoutUris: { allowHttp: deps.config.allowHttpLogoutUris } });
    registerAuditLog(router, { audit: deps.stores.audit, pageTokens: deps.pageTokens });
    registerSessionTermination(router, {
      stores: deps.stores,
      counter: deps.counter,
      runner: deps.terminationRunner,
      onJobCancelled: deps.onJobCancelled,
      exactBound: deps.config.previewExactLimit,
      sampleSize: 1000,
      defaultSessionsPerSecond: deps.config.terminationDefaultRate,
      maxSessionsPerSecond: deps.config.terminationMaxRate,
      watchPollMs: Math.min(deps.config.terminationPollMs, 500),
    });
    registerSessionExport(router, { sessions: deps.stores.sessions, pageTokens: deps.pageTokens });
    registerHealth(router, deps.health);
    registerReflection(router, descriptors);
  };
}
