import type { AdapterPayload } from "oidc-provider";
import type { GrantType } from "../../domain/grant-types.js";
import { grantKey } from "./model-mapping.js";

/** A GrantStore record as the adapter writes it (the fields of PersistedGrant it sets). */
export interface GrantRecord {
  key: string;
  type: GrantType;
  subjectId: string;
  sessionId: string;
  clientId: string;
  expiration?: Date;
  data: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The record of one model instance. The payload is kept whole, as JSON, and
 * only read back by the provider. The subject is the payload's `accountId`;
 * the session is its `sessionUid`, which is also the session id SessionStore
 * records (see session-record.ts), so terminating a session revokes the
 * tokens issued in it. Expiry comes from the payload's `exp`, else from the
 * provider's `expiresIn`.
 */
export function grantRecordOf(model: string, type: GrantType, id: string, payload: AdapterPayload, expiresIn: number | undefined, now: Date): GrantRecord {
  const expiresAt = typeof payload.exp === "number" ? payload.exp * 1000 : typeof expiresIn === "number" ? now.getTime() + expiresIn * 1000 : undefined;
  return {
    key: grantKey(model, id),
    type,
    subjectId: stringOr(payload.accountId),
    sessionId: stringOr(payload.sessionUid),
    clientId: stringOr(payload.clientId),
    ...(expiresAt === undefined ? {} : { expiration: new Date(expiresAt) }),
    data: encoder.encode(JSON.stringify(payload)),
  };
}

/** The payload stored in a record, with `consumed` (seconds) when the record was consumed. */
export function payloadOfGrant(data: Uint8Array, consumedTime: Date | undefined): AdapterPayload {
  const payload = JSON.parse(decoder.decode(data)) as AdapterPayload;
  if (consumedTime !== undefined) payload.consumed = Math.floor(consumedTime.getTime() / 1000);
  return payload;
}

function stringOr(value: unknown): string {
  return typeof value === "string" ? value : "";
}
