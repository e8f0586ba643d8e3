import { DomainError, invalidArgument } from "./errors.js";
import type { Grant, GrantFilter } from "./grant.js";
import { grantTypes, isGrantType, type GrantType } from "./grant-types.js";
import { boundedPayload, defaultPayloadLimits, limits } from "./limits.js";
import { optionalTextField, requiredTextField } from "./text-field.js";
import { timeField } from "./time-field.js";

/** A grant as an identity provider sends it to be stored; "" and undefined mean unset. */
export interface GrantInput {
  key: string;
  type: string;
  subjectId: string;
  sessionId: string;
  clientId: string;
  description: string;
  creationTime?: Date;
  expiration?: Date;
  consumedTime?: Date;
  data: Uint8Array;
}

/**
 * Validates a grant to be stored: `key`, a known `type` and `client_id` are
 * required; an unset `creation_time` is `now`; `data` may hold at most
 * `maxDataBytes`. Errors name the field after `prefix`.
 */
export function parseGrant(input: GrantInput, now: Date, prefix = "", maxDataBytes = defaultPayloadLimits.grantDataBytes): Grant {
  const field = (name: string) => `${prefix}${name}`;
  return {
    key: requiredTextField(field("key"), input.key, limits.identifier),
    type: parseGrantType(field("type"), input.type),
    subjectId: optionalTextField(field("subject_id"), input.subjectId, limits.identifier),
    sessionId: optionalTextField(field("session_id"), input.sessionId, limits.identifier),
    clientId: requiredTextField(field("client_id"), input.clientId, limits.identifier),
    description: optionalTextField(field("description"), input.description, limits.grantDescription),
    creationTime: timeField(field("creation_time"), input.creationTime ?? now),
    expiration: input.expiration && timeField(field("expiration"), input.expiration),
    consumedTime: input.consumedTime && timeField(field("consumed_time"), input.consumedTime),
    data: boundedPayload(field("data"), input.data, maxDataBytes),
  };
}

/** A grant filter as received; "" and empty lists mean unset. */
export interface GrantFilterInput {
  subjectId: string;
  sessionId: string;
  clientIds: readonly string[];
  types: readonly string[];
}

/**
 * Validates a grant filter. A subject or session id is required: a filter of
 * clients or types alone would apply to every user's grants, and no index
 * serves it. Errors name the field after `prefix`.
 */
export function parseGrantFilter(input: GrantFilterInput, prefix = ""): GrantFilter {
  const field = (name: string) => `${prefix}${name}`;
  const subjectId = optionalTextField(field("subject_id"), input.subjectId, limits.identifier);
  const sessionId = optionalTextField(field("session_id"), input.sessionId, limits.identifier);
  if (subjectId === undefined && sessionId === undefined) {
    const name = prefix === "" ? "filter" : prefix.replace(/\.$/, "");
    throw new DomainError("invalid_argument", `${name}: subject_id or session_id is required`, name);
  }
  if (input.clientIds.length > limits.clientIdsPerRequest) {
    throw invalidArgument(field("client_ids"), `must list at most ${limits.clientIdsPerRequest} clients`);
  }
  const clientIds = input.clientIds.map((id, i) => requiredTextField(field(`client_ids[${i}]`), id, limits.identifier));
  const types = input.types.map((type, i) => parseGrantType(field(`types[${i}]`), type));
  return {
    subjectId,
    sessionId,
    clientIds: clientIds.length > 0 ? [...new Set(clientIds)] : undefined,
    types: types.length > 0 ? [...new Set(types)] : undefined,
  };
}

function parseGrantType(field: string, value: string): GrantType {
  if (!isGrantType(value)) throw invalidArgument(field, `must be one of ${Object.values(grantTypes).join(", ")}`);
  return value;
}
