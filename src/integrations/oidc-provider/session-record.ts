import type { AdapterPayload } from "oidc-provider";
import { limits } from "../../domain/limits.js";

/** The SessionStore fields the adapter writes for a logged-in session. */
export interface SessionRecord {
  key: string;
  subjectId: string;
  sessionId: string;
  issuer: string;
  expires?: Date;
  clientIds: string[];
  ticket: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The record of a logged-in session. The key is the provider's session id
 * (the value of its session cookie, which changes at every login); the session
 * id is the session's `uid`, which stays for the session's life and is the
 * `sid` relying parties see (see provider-binding.ts); the subject is the
 * account; the clients are those the session holds authorizations for. The
 * payload is the ticket, whole.
 */
export function sessionRecordOf(id: string, payload: AdapterPayload, expiresIn: number | undefined, now: Date, issuer: string): SessionRecord {
  const expiresAt = typeof payload.exp === "number" ? payload.exp * 1000 : typeof expiresIn === "number" ? now.getTime() + expiresIn * 1000 : undefined;
  return {
    key: id,
    subjectId: String(payload.accountId),
    sessionId: typeof payload.uid === "string" ? payload.uid : "",
    issuer,
    ...(expiresAt === undefined ? {} : { expires: new Date(expiresAt) }),
    clientIds: Object.keys(payload.authorizations ?? {}),
    ticket: encoder.encode(JSON.stringify(payload)),
  };
}

/** The payload kept in a session's ticket. */
export function payloadOfSession(ticket: Uint8Array): AdapterPayload {
  return JSON.parse(decoder.decode(ticket)) as AdapterPayload;
}

/** A display name cut to what SessionStore accepts; undefined for none. */
export function fittedDisplayName(name: string | undefined): string | undefined {
  if (name === undefined || name === "") return undefined;
  const points = Array.from(name);
  return points.length <= limits.displayName ? name : points.slice(0, limits.displayName).join("");
}
