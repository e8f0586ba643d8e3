import { parseBackchannelLogoutUri, type LogoutUriPolicy } from "./backchannel-logout-uri.js";
import { logoutTokenTypes, type Client, type LogoutTokenType } from "./client.js";
import { invalidArgument } from "./errors.js";
import { limits } from "./limits.js";
import { requiredTextField } from "./text-field.js";

/** A client as an operator describes it; absent settings take their defaults. */
export interface ClientInput {
  clientId: string;
  /** Unset: true. */
  enabled?: boolean;
  /** "" means none: the client gets no logout notifications. */
  backchannelLogoutUri: string;
  /** Unset: true, as in Duende IdentityServer and the schema. */
  backchannelLogoutSessionRequired?: boolean;
  /** Unset: the default, `logout+jwt`. */
  logoutTokenType?: string;
}

/**
 * Validates a client for the registry, the same way for the ClientRegistry
 * service and the clients file. Errors name the field, after `prefix`
 * (`client.` for the service).
 */
export function parseClient(input: ClientInput, policy: LogoutUriPolicy, prefix = ""): Client {
  const clientId = requiredTextField(`${prefix}client_id`, input.clientId, limits.identifier);
  const uri = input.backchannelLogoutUri;
  const client: Client = {
    clientId,
    enabled: input.enabled ?? true,
    backchannelLogoutSessionRequired: input.backchannelLogoutSessionRequired ?? true,
  };
  if (uri !== "") client.backchannelLogoutUri = parseBackchannelLogoutUri(`${prefix}backchannel_logout_uri`, uri, policy);
  if (input.logoutTokenType !== undefined) {
    if (!(logoutTokenTypes as readonly string[]).includes(input.logoutTokenType)) {
      throw invalidArgument(`${prefix}logout_token_type`, `must be one of ${logoutTokenTypes.join(", ")}`);
    }
    client.logoutTokenType = input.logoutTokenType as LogoutTokenType;
  }
  return client;
}
