import { create } from "@bufbuild/protobuf";
import {
  PersistedGrantFilterSchema,
  PersistedGrantSchema,
  type PersistedGrant,
  type PersistedGrantFilter,
} from "../../gen/ts/sessionmanagement/v1/grant_store_pb.js";
import type { Grant, GrantFilter } from "../domain/grant.js";
import { parseGrant, parseGrantFilter } from "../domain/grant-input.js";
import { dateOf, timestampOf } from "./timestamps.js";

/** Validates a request's grant (`grant.` names its fields in errors); unset times default as parseGrant says. */
export function grantOf(message: PersistedGrant | undefined, now: Date, maxDataBytes?: number): Grant {
  const m = message ?? create(PersistedGrantSchema);
  return parseGrant(
    {
      ...m,
      creationTime: dateOf("grant.creation_time", m.creationTime),
      expiration: dateOf("grant.expiration", m.expiration),
      consumedTime: dateOf("grant.consumed_time", m.consumedTime),
    },
    now,
    "grant.",
    maxDataBytes,
  );
}

/** Validates a request's filter (`filter.` names its fields in errors); an empty one is rejected. */
export function grantFilterOf(message: PersistedGrantFilter | undefined): GrantFilter {
  return parseGrantFilter(message ?? create(PersistedGrantFilterSchema), "filter.");
}

/** The API form of a stored grant. */
export function toPersistedGrant(grant: Grant): PersistedGrant {
  return create(PersistedGrantSchema, {
    key: grant.key,
    type: grant.type,
    subjectId: grant.subjectId ?? "",
    sessionId: grant.sessionId ?? "",
    clientId: grant.clientId,
    description: grant.description ?? "",
    creationTime: timestampOf(grant.creationTime),
    expiration: timestampOf(grant.expiration),
    consumedTime: timestampOf(grant.consumedTime),
    data: grant.data,
  });
}
