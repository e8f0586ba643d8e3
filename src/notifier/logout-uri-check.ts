import { parseBackchannelLogoutUri, type LogoutUriPolicy } from "../domain/backchannel-logout-uri.js";
import { isDomainError } from "../domain/errors.js";
import type { LogoutPoster } from "./logout-poster.js";

/**
 * Checks each back-channel logout URI against the rules in force before it
 * is used, not only when the client was stored: a client stored while plain
 * http was allowed (or under laxer rules) is not sent to once the deployment
 * refuses it. Such an attempt ends as final, so its notification is marked
 * dead with the reason; trying again cannot help until an operator changes
 * the client's URI or the option, and then retries it.
 */
export function withLogoutUriCheck(poster: LogoutPoster, policy: LogoutUriPolicy): LogoutPoster {
  return {
    post(url, token, signal) {
      const problem = uriProblem(url, policy);
      if (problem !== undefined) return Promise.resolve({ error: `the back-channel logout URI is refused: ${problem}`, final: true });
      return poster.post(url, token, signal);
    },
    close: () => poster.close(),
  };
}

function uriProblem(url: string, policy: LogoutUriPolicy): string | undefined {
  try {
    parseBackchannelLogoutUri("backchannel_logout_uri", url, policy);
    return undefined;
  } catch (error) {
    if (isDomainError(error)) return error.message;
    throw error;
  }
}
