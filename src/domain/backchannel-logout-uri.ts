import { invalidArgument } from "./errors.js";
import { requiredTextField } from "./text-field.js";

/** Longest accepted URI in characters; matches the column size. */
export const backchannelLogoutUriMaxLength = 2000;

/** Which back-channel logout URIs a deployment accepts. */
export interface LogoutUriPolicy {
  /**
   * Accept plain `http://` URIs for any host. Off, only `https://` is accepted,
   * loopback included. Any host rather than loopback only, because the cases
   * that need plain HTTP are a service mesh whose sidecar adds mTLS, a
   * docker-compose network and tests, and only the last is on loopback.
   */
  allowHttp: boolean;
}

/**
 * Validates a client's back-channel logout URI as it is stored: an absolute
 * http(s) URL with a host, without fragment or user information (OpenID
 * Connect Back-Channel Logout 1.0, section 2.2), and plain http only when the
 * policy allows it. The URI is returned unchanged: what the operator wrote is
 * what the notifier posts to. Characters that a URL parser would silently drop
 * or reinterpret (whitespace, controls, backslashes) are refused, so that the
 * stored text and the parsed URL cannot disagree.
 */
export function parseBackchannelLogoutUri(field: string, value: string, policy: LogoutUriPolicy): string {
  requiredTextField(field, value, backchannelLogoutUriMaxLength);
  // \p{Z} covers Unicode spaces, \p{C} controls and unassigned code points.
  if (/[\p{Z}\p{C}\\]/u.test(value)) throw invalidArgument(field, "must not contain spaces, control characters or backslashes");
  // http(s) URLs cannot parse without a host; the look-ahead refuses
  // `https:///x`, which the URL parser would read as host `x`.
  const scheme = /^(https?):\/\/(?=[^/?#])/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined || !URL.canParse(value)) throw invalidArgument(field, "must be an absolute http(s) URL with a host");
  if (value.includes("#")) throw invalidArgument(field, "must not have a fragment");
  const authority = /^https?:\/\/([^/?#]*)/i.exec(value)![1]!;
  if (authority.includes("@")) throw invalidArgument(field, "must not contain user information");
  if (scheme === "http" && !policy.allowHttp) {
    throw invalidArgument(field, "must use https (plain http needs --allow-http-logout-uris)");
  }
  return value;
}
