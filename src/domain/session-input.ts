import { invalidArgument } from "./errors.js";
import { boundedPayload, defaultPayloadLimits, limits } from "./limits.js";
import type { NewSession, SessionChanges } from "./session.js";
import { optionalIp, optionalUserAgent, parseAcr, parseAmr, parseAttributes, parseSessionMetadata, type SessionMetadataInput } from "./session-metadata.js";
import { checkExpiresNotBeforeCreated } from "./session-times.js";
import { optionalTextField, requiredTextField } from "./text-field.js";
import { timeField } from "./time-field.js";

/** A session as an identity provider sends it to be recorded; "" and undefined mean unset. */
export interface SessionInput {
  key: string;
  scheme: string;
  subjectId: string;
  sessionId: string;
  displayName: string;
  issuer: string;
  created?: Date;
  renewed?: Date;
  expires?: Date;
  clientIds: readonly string[];
  ticket: Uint8Array;
  metadata?: SessionMetadataInput;
}

/**
 * Validates a session to be recorded. `key` and `subject_id` are required;
 * an unset `created` is `now`, an unset `renewed` is `created`, an unset
 * `expires` means the session does not expire; `expires` must not be before
 * `created`. The ticket may hold at most `maxTicketBytes`. Errors name the
 * field after `prefix`.
 */
export function parseNewSession(input: SessionInput, now: Date, prefix = "", maxTicketBytes = defaultPayloadLimits.ticketBytes): NewSession {
  const field = (name: string) => `${prefix}${name}`;
  const created = timeField(field("created"), input.created ?? now);
  const expires = input.expires === undefined ? undefined : timeField(field("expires"), input.expires);
  checkExpiresNotBeforeCreated(field("expires"), created, expires);
  return {
    key: requiredTextField(field("key"), input.key, limits.identifier),
    // The schema keeps "" for no scheme: identity providers other than Duende have none.
    scheme: input.scheme === "" ? "" : requiredTextField(field("scheme"), input.scheme, limits.scheme),
    subjectId: requiredTextField(field("subject_id"), input.subjectId, limits.identifier),
    sessionId: optionalTextField(field("session_id"), input.sessionId, limits.identifier),
    displayName: optionalTextField(field("display_name"), input.displayName, limits.displayName),
    issuer: optionalTextField(field("issuer"), input.issuer, limits.issuer),
    created,
    renewed: input.renewed === undefined ? created : timeField(field("renewed"), input.renewed),
    expires,
    clientIds: parseClientIds(field("client_ids"), input.clientIds),
    ticket: boundedPayload(field("ticket"), input.ticket, maxTicketBytes),
    metadata: parseSessionMetadata(input.metadata, created, field("metadata.")),
  };
}

/** An UpdateSession request; undefined means "leave as it is". */
export interface SessionUpdateInput {
  key: string;
  renewed?: Date;
  expires?: Date;
  clearExpires: boolean;
  /** Added to the session's clients, or with `replaceClientIds` its new list. */
  clientIds: readonly string[];
  replaceClientIds: boolean;
  /** "" removes the display name. */
  displayName?: string;
  ticket?: Uint8Array;
  /** A last-seen report: set when either of the first two is set; the time defaults to `now`. */
  lastSeenIpAddress?: string;
  lastSeenUserAgent?: string;
  lastSeenTime?: Date;
  /** Non-empty: the complete new list. */
  authenticationMethods?: readonly string[];
  /** "" removes it. */
  authenticationContextClass?: string;
  attributes?: Readonly<Record<string, string>>;
  replaceAttributes?: boolean;
}

/** Validates an UpdateSession request into the key and the changes to make; a new ticket may hold at most `maxTicketBytes`. */
export function parseSessionUpdate(
  input: SessionUpdateInput,
  maxTicketBytes = defaultPayloadLimits.ticketBytes,
  now = new Date(),
): { key: string; changes: SessionChanges } {
  const key = requiredTextField("key", input.key, limits.identifier);
  const changes: SessionChanges = {};
  if (input.renewed !== undefined) changes.renewed = timeField("renewed", input.renewed);
  if (input.expires !== undefined) {
    if (input.clearExpires) throw invalidArgument("expires", "must be unset when clear_expires is true");
    changes.expires = timeField("expires", input.expires);
  } else if (input.clearExpires) {
    changes.expires = null;
  }
  if (input.displayName !== undefined) {
    changes.displayName = optionalTextField("display_name", input.displayName, limits.displayName) ?? null;
  }
  if (input.clientIds.length > 0 || input.replaceClientIds) {
    changes.clientIds = { ids: parseClientIds("client_ids", input.clientIds), replace: input.replaceClientIds };
  }
  if (input.ticket !== undefined) changes.ticket = boundedPayload("ticket", input.ticket, maxTicketBytes);
  Object.assign(changes, parseMetadataChanges(input, now));
  return { key, changes };
}

function parseMetadataChanges(input: SessionUpdateInput, now: Date): SessionChanges {
  const changes: SessionChanges = {};
  const ip = input.lastSeenIpAddress === undefined ? undefined : optionalIp("last_seen_ip_address", input.lastSeenIpAddress);
  const userAgent = input.lastSeenUserAgent === undefined ? undefined : optionalUserAgent("last_seen_user_agent", input.lastSeenUserAgent);
  if (ip !== undefined || userAgent !== undefined || input.lastSeenTime !== undefined) {
    changes.lastSeen = { ip, userAgent, at: timeField("last_seen_time", input.lastSeenTime ?? now) };
  }
  if (input.authenticationMethods !== undefined && input.authenticationMethods.length > 0) {
    changes.amr = parseAmr("authentication_methods", input.authenticationMethods);
  }
  if (input.authenticationContextClass !== undefined) {
    changes.acr = parseAcr("authentication_context_class", input.authenticationContextClass) ?? null;
  }
  const attributes = input.attributes ?? {};
  if (Object.keys(attributes).length > 0 || input.replaceAttributes === true) {
    changes.attributes = { values: parseAttributes("attributes", attributes), replace: input.replaceAttributes === true };
  }
  return changes;
}

function parseClientIds(field: string, clientIds: readonly string[]): string[] {
  if (clientIds.length > limits.clientIdsPerRequest) {
    throw invalidArgument(field, `must list at most ${limits.clientIdsPerRequest} clients`);
  }
  return [...new Set(clientIds.map((id, i) => requiredTextField(`${field}[${i}]`, id, limits.identifier)))];
}

/** Which sessions a GetSessions or DeleteSessions request selects: a subject and/or a session id. */
export interface SessionSelector {
  subjectId?: string;
  sessionId?: string;
}

/** Validates a selection by subject and/or session id; nothing is ever selected by an empty one. */
export function parseSessionSelector(input: { subjectId: string; sessionId: string }): SessionSelector {
  const subjectId = optionalTextField("subject_id", input.subjectId, limits.identifier);
  const sessionId = optionalTextField("session_id", input.sessionId, limits.identifier);
  if (subjectId === undefined && sessionId === undefined) {
    throw invalidArgument("subject_id", "subject_id or session_id is required");
  }
  return { subjectId, sessionId };
}
