/** What a credential may be allowed to do. */
export const permissions = ["sessions.read", "sessions.write", "sessions.bulk", "store.write", "clients.admin", "audit.read"] as const;

export type Permission = (typeof permissions)[number];

/**
 * What a method requires: a permission, any valid credential
 * ("authenticated"), or nothing ("public": health checks only, so probes and
 * load balancers need no secret).
 */
export type Requirement = Permission | "authenticated" | "public";

/**
 * The one table of methods and what they require, by service or by method
 * ("package.Service" or "package.Service/Method"; a method entry wins). A
 * method whose service is missing here is refused to everyone.
 */
export const methodRequirements: Readonly<Record<string, Requirement>> = {
  "sessionmanagement.v1.SessionManagement/QuerySessions": "sessions.read",
  "sessionmanagement.v1.SessionManagement/RemoveSessions": "sessions.write",
  "sessionmanagement.v1.LogoutNotifications/ListNotifications": "sessions.read",
  "sessionmanagement.v1.LogoutNotifications/RetryNotifications": "sessions.write",
  "sessionmanagement.v1.SessionTermination/PreviewTermination": "sessions.read",
  "sessionmanagement.v1.SessionTermination/GetTerminationJob": "sessions.read",
  "sessionmanagement.v1.SessionTermination/ListTerminationJobs": "sessions.read",
  "sessionmanagement.v1.SessionTermination/WatchTerminationJob": "sessions.read",
  // Ending sessions by query, up to every session at once: a power of its own.
  "sessionmanagement.v1.SessionTermination/StartTerminationJob": "sessions.bulk",
  "sessionmanagement.v1.SessionTermination/CancelTerminationJob": "sessions.bulk",
  "sessionmanagement.v1.SessionExport": "sessions.read",
  "sessionmanagement.v1.SessionStore": "store.write",
  "sessionmanagement.v1.GrantStore": "store.write",
  "sessionmanagement.v1.ClientRegistry": "clients.admin",
  "sessionmanagement.v1.AuditLog": "audit.read",
  "grpc.health.v1.Health": "public",
  "grpc.reflection.v1.ServerReflection": "authenticated",
  "grpc.reflection.v1alpha.ServerReflection": "authenticated",
};

/** What `service/method` requires; undefined for a method nobody may call. */
export function requirementOf(service: string, method: string): Requirement | undefined {
  return methodRequirements[`${service}/${method}`] ?? methodRequirements[service];
}

/** Whether the string names a permission. */
export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

/**
 * The methods whose calls change state; each call is recorded in the audit
 * trail with its caller, request and outcome.
 */
export const auditedMethods: ReadonlySet<string> = new Set([
  "sessionmanagement.v1.SessionManagement/RemoveSessions",
  "sessionmanagement.v1.SessionTermination/StartTerminationJob",
  "sessionmanagement.v1.SessionTermination/CancelTerminationJob",
  "sessionmanagement.v1.LogoutNotifications/RetryNotifications",
  "sessionmanagement.v1.SessionStore/DeleteSession",
  "sessionmanagement.v1.SessionStore/DeleteSessions",
  "sessionmanagement.v1.GrantStore/RemoveGrants",
  "sessionmanagement.v1.ClientRegistry/PutClient",
  "sessionmanagement.v1.ClientRegistry/DeleteClient",
]);
