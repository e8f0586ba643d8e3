import { create } from "@bufbuild/protobuf";
import { ClientSchema, LogoutTokenType, type Client as ClientMessage } from "../../gen/ts/sessionmanagement/v1/client_registry_pb.js";
import type { LogoutUriPolicy } from "../domain/backchannel-logout-uri.js";
import { defaultLogoutTokenType, type Client, type LogoutTokenType as TokenType } from "../domain/client.js";
import { parseClient } from "../domain/client-input.js";
import { invalidArgument } from "../domain/errors.js";

const tokenTypes: ReadonlyMap<LogoutTokenType, TokenType> = new Map([
  [LogoutTokenType.LOGOUT_JWT, "logout+jwt"],
  [LogoutTokenType.JWT, "JWT"],
  [LogoutTokenType.NONE, "none"],
]);

/** Validates a request's client (`client.` names its fields in errors); unset settings take their defaults. */
export function clientOf(message: ClientMessage | undefined, policy: LogoutUriPolicy): Client {
  const m = message ?? create(ClientSchema);
  let logoutTokenType: TokenType | undefined;
  if (m.logoutTokenType !== LogoutTokenType.UNSPECIFIED) {
    logoutTokenType = tokenTypes.get(m.logoutTokenType);
    if (logoutTokenType === undefined) throw invalidArgument("client.logout_token_type", `unknown value ${m.logoutTokenType}`);
  }
  return parseClient({ ...m, logoutTokenType }, policy, "client.");
}

/** The API form of a registered client, with the token type it gets (the default when it chose none), never UNSPECIFIED. */
export function toClientMessage(client: Client): ClientMessage {
  const effective = client.logoutTokenType ?? defaultLogoutTokenType;
  const tokenType = [...tokenTypes].find(([, value]) => value === effective)?.[0];
  return create(ClientSchema, {
    clientId: client.clientId,
    enabled: client.enabled,
    backchannelLogoutUri: client.backchannelLogoutUri ?? "",
    backchannelLogoutSessionRequired: client.backchannelLogoutSessionRequired,
    logoutTokenType: tokenType ?? LogoutTokenType.LOGOUT_JWT,
  });
}
