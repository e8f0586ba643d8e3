import { invalidArgument } from "./errors.js";
import { parseIpAddress } from "./ip-address.js";
import { requiredTextField } from "./text-field.js";
import { timeField } from "./time-field.js";

/** Where and how a session was started and last used; absent fields are unknown. */
export interface SessionMetadata {
  signInIp?: string;
  signInUserAgent?: string;
  lastSeenIp?: string;
  lastSeenUserAgent?: string;
  lastSeen?: Date;
  /** OpenID Connect `amr`. */
  amr: string[];
  /** OpenID Connect `acr`. */
  acr?: string;
  attributes: Record<string, string>;
}

/** Size limits of session metadata, in code points. */
export const metadataLimits = {
  userAgent: 512,
  amrEntries: 16,
  amrValue: 50,
  acr: 200,
  attributes: 16,
  attributeKey: 64,
  attributeValue: 256,
} as const;

/**
 * How often a session's last-seen values are written at most: a report of
 * the same IP address and User-Agent within this interval of the recorded
 * last-seen time is dropped, so identity providers may report on every
 * request without a write on every request.
 */
export const lastSeenIntervalMs = 60_000;

/** A new last-seen report: what the identity provider saw, and when. */
export interface LastSeenReport {
  ip?: string;
  userAgent?: string;
  at: Date;
}

/** Whether a last-seen report is worth a write against what is recorded (see lastSeenIntervalMs). */
export function lastSeenIsNews(recorded: Pick<SessionMetadata, "lastSeenIp" | "lastSeenUserAgent" | "lastSeen">, report: LastSeenReport): boolean {
  if (recorded.lastSeen === undefined) return true;
  if (report.at.getTime() < recorded.lastSeen.getTime()) return false;
  if (report.ip !== undefined && report.ip !== recorded.lastSeenIp) return true;
  if (report.userAgent !== undefined && report.userAgent !== recorded.lastSeenUserAgent) return true;
  return report.at.getTime() - recorded.lastSeen.getTime() >= lastSeenIntervalMs;
}

/** The metadata fields of a request, as sent ("" and undefined mean unset). */
export interface SessionMetadataInput {
  signInIpAddress: string;
  signInUserAgent: string;
  lastSeenIpAddress: string;
  lastSeenUserAgent: string;
  lastSeenTime?: Date;
  authenticationMethods: readonly string[];
  authenticationContextClass: string;
  attributes: Readonly<Record<string, string>>;
}

/**
 * Validates a new session's metadata; errors name the field after `prefix`.
 * Unset last-seen values take the sign-in ones, an unset last-seen time `created`.
 */
export function parseSessionMetadata(input: SessionMetadataInput | undefined, created: Date, prefix: string): SessionMetadata {
  if (input === undefined) return { amr: [], attributes: {}, lastSeen: created };
  const field = (name: string) => `${prefix}${name}`;
  const signInIp = optionalIp(field("sign_in_ip_address"), input.signInIpAddress);
  const signInUserAgent = optionalUserAgent(field("sign_in_user_agent"), input.signInUserAgent);
  return {
    signInIp,
    signInUserAgent,
    lastSeenIp: optionalIp(field("last_seen_ip_address"), input.lastSeenIpAddress) ?? signInIp,
    lastSeenUserAgent: optionalUserAgent(field("last_seen_user_agent"), input.lastSeenUserAgent) ?? signInUserAgent,
    lastSeen: input.lastSeenTime === undefined ? created : timeField(field("last_seen_time"), input.lastSeenTime),
    amr: parseAmr(field("authentication_methods"), input.authenticationMethods),
    acr: parseAcr(field("authentication_context_class"), input.authenticationContextClass),
    attributes: parseAttributes(field("attributes"), input.attributes),
  };
}

/** Validates an IP address field; undefined for "". */
export function optionalIp(field: string, value: string): string | undefined {
  return value === "" ? undefined : parseIpAddress(field, value).text;
}

/** Validates a User-Agent field; undefined for "". */
export function optionalUserAgent(field: string, value: string): string | undefined {
  return value === "" ? undefined : metadataText(field, value, metadataLimits.userAgent);
}

/** Validates an `amr` list: at most 16 distinct short values, in the order given. */
export function parseAmr(field: string, values: readonly string[]): string[] {
  if (values.length > metadataLimits.amrEntries) throw invalidArgument(field, `must list at most ${metadataLimits.amrEntries} methods`);
  return [...new Set(values.map((value, i) => metadataText(`${field}[${i}]`, value, metadataLimits.amrValue)))];
}

/** Validates an `acr`; undefined for "". */
export function parseAcr(field: string, value: string): string | undefined {
  return value === "" ? undefined : metadataText(field, value, metadataLimits.acr);
}

/** Validates identity-provider attributes: bounded count, key and value sizes, no control characters. */
export function parseAttributes(field: string, attributes: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(attributes);
  if (entries.length > metadataLimits.attributes) throw invalidArgument(field, `must hold at most ${metadataLimits.attributes} attributes`);
  // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
  return Object.fromEntries(
    entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => [
        metadataText(`${field} key`, key, metadataLimits.attributeKey),
        value === "" ? "" : metadataText(`${field}[${JSON.stringify(key)}]`, value, metadataLimits.attributeValue),
      ]),
  );
}

// Control characters (C0, DEL, C1) would corrupt logs, terminals and CSV exports.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

function metadataText(field: string, value: string, maxLength: number): string {
  requiredTextField(field, value, maxLength);
  if (controlCharacters.test(value)) throw invalidArgument(field, "must not contain control characters");
  return value;
}

/** A session's attributes after a change; more than the limit in total is INVALID_ARGUMENT (`attributes`). */
export function mergeAttributes(recorded: Readonly<Record<string, string>>, change: { values: Record<string, string>; replace: boolean }): Record<string, string> {
  const merged = change.replace ? { ...change.values } : Object.fromEntries([...Object.entries(recorded), ...Object.entries(change.values)]);
  if (Object.keys(merged).length > metadataLimits.attributes) {
    throw invalidArgument("attributes", `the session would hold more than ${metadataLimits.attributes} attributes`);
  }
  return merged;
}
