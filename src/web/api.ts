import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { LogoutNotifications } from "../../gen/ts/sessionmanagement/v1/logout_notifications_pb.js";
import { SessionManagement } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { SessionTermination } from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";

/** The API clients the page uses, all calling this page's own origin with the Connect protocol. */
export interface Api {
  sessions: Client<typeof SessionManagement>;
  notifications: Client<typeof LogoutNotifications>;
  termination: Client<typeof SessionTermination>;
}

/** Clients that send `authorization: Bearer <key>`, the key read at each call. */
export function createApi(currentKey: () => string | undefined): Api {
  const withKey: Interceptor = (next) => (request) => {
    const key = currentKey();
    if (key !== undefined) request.header.set("authorization", `Bearer ${key}`);
    return next(request);
  };
  const transport = createConnectTransport({ baseUrl: window.location.origin, interceptors: [withKey] });
  return {
    sessions: createClient(SessionManagement, transport),
    notifications: createClient(LogoutNotifications, transport),
    termination: createClient(SessionTermination, transport),
  };
}

/** Whether the service refused the key itself (not a missing permission). */
export function isUnauthenticated(error: unknown): boolean {
  return ConnectError.from(error).code === Code.Unauthenticated;
}

/** A sentence for an administrator, from a failed call. */
export function describeError(error: unknown): string {
  const failure = ConnectError.from(error);
  switch (failure.code) {
    case Code.Unauthenticated:
      return "The API key was not accepted. Check it and sign in again.";
    case Code.PermissionDenied:
      return `Your key may not do this: ${failure.rawMessage}`;
    case Code.InvalidArgument:
      return `The service rejected the request: ${failure.rawMessage}`;
    case Code.Unavailable:
      return "The service or its database is unavailable right now. Try again in a moment.";
    case Code.ResourceExhausted:
      return `The request is too large: ${failure.rawMessage}`;
    default:
      return `The call failed (${Code[failure.code] ?? failure.code}): ${failure.rawMessage}`;
  }
}
