import { DomainError, invalidArgument } from "./errors.js";
import { limits } from "./limits.js";
import { optionalTextField, requiredTextField } from "./text-field.js";

/**
 * A validated RemoveSessions request with its defaults applied. At least one
 * of `subjectId` and `sessionId` is set.
 */
export interface RemovalRequest {
  subjectId?: string;
  sessionId?: string;
  /** Restricts revocation and notifications to these clients; undefined means all. */
  clientIds?: ReadonlySet<string>;
  removeServerSideSession: boolean;
  revokeTokens: boolean;
  revokeConsents: boolean;
  sendBackchannelLogoutNotification: boolean;
}

/** The fields of a RemoveSessions request. */
export interface RemovalRequestInput {
  subjectId: string;
  sessionId: string;
  clientIds: readonly string[];
  removeServerSideSession?: boolean;
  revokeTokens?: boolean;
  revokeConsents?: boolean;
  sendBackchannelLogoutNotification?: boolean;
}

/** Validates a RemoveSessions request; nothing is ever removed by an empty filter. */
export function parseRemovalRequest(input: RemovalRequestInput): RemovalRequest {
  const subjectId = optionalTextField("subject_id", input.subjectId, limits.identifier);
  const sessionId = optionalTextField("session_id", input.sessionId, limits.identifier);
  if (subjectId === undefined && sessionId === undefined) {
    throw new DomainError("invalid_argument", "subject_id or session_id is required: nothing is removed by an empty filter", "subject_id");
  }
  return { subjectId, sessionId, ...parseRemovalActions(input) };
}

/** The actions of a termination, as RemoveSessions and termination jobs take them. */
export type RemovalActions = Omit<RemovalRequest, "subjectId" | "sessionId">;

/**
 * Validates the actions of a termination and applies their defaults; field
 * names in errors get `prefix` (e.g. "actions.").
 */
export function parseRemovalActions(input: Omit<RemovalRequestInput, "subjectId" | "sessionId">, prefix = ""): RemovalActions {
  if (input.clientIds.length > limits.clientIdsPerRequest) {
    throw invalidArgument(`${prefix}client_ids`, `must list at most ${limits.clientIdsPerRequest} clients`);
  }
  const clientIds = input.clientIds.map((id, i) => requiredTextField(`${prefix}client_ids[${i}]`, id, limits.identifier));
  return {
    clientIds: clientIds.length > 0 ? new Set(clientIds) : undefined,
    removeServerSideSession: input.removeServerSideSession ?? true,
    revokeTokens: input.revokeTokens ?? true,
    revokeConsents: input.revokeConsents ?? true,
    sendBackchannelLogoutNotification: input.sendBackchannelLogoutNotification ?? true,
  };
}
