import { create } from "@bufbuild/protobuf";
import { ServerSideSessionSchema, type ServerSideSession } from "../../gen/ts/sessionmanagement/v1/session_store_pb.js";
import type { StoredSession } from "../domain/session.js";
import { metadataInputOf, toSessionMetadata } from "./session-metadata.js";
import type { SessionInput } from "../domain/session-input.js";
import { dateOf, timestampOf } from "./timestamps.js";

/** A request's session as domain input; field names in errors start with `prefix`. */
export function sessionInputOf(message: ServerSideSession | undefined, prefix: string): SessionInput {
  const m = message ?? create(ServerSideSessionSchema);
  return {
    key: m.key,
    scheme: m.scheme,
    subjectId: m.subjectId,
    sessionId: m.sessionId,
    displayName: m.displayName,
    issuer: m.issuer,
    created: dateOf(`${prefix}created`, m.created),
    renewed: dateOf(`${prefix}renewed`, m.renewed),
    expires: dateOf(`${prefix}expires`, m.expires),
    clientIds: m.clientIds,
    ticket: m.ticket,
    metadata: m.metadata && metadataInputOf(m.metadata, `${prefix}metadata.`),
  };
}

/** The SessionStore form of a stored session, with its ticket. */
export function toServerSideSession(session: StoredSession, ticket: Uint8Array): ServerSideSession {
  return create(ServerSideSessionSchema, {
    key: session.key,
    scheme: session.scheme,
    subjectId: session.subjectId,
    sessionId: session.sessionId ?? "",
    displayName: session.displayName ?? "",
    issuer: session.issuer ?? "",
    created: timestampOf(session.created),
    renewed: timestampOf(session.renewed),
    expires: timestampOf(session.expires),
    clientIds: session.clientIds,
    ticket,
    metadata: toSessionMetadata(session.metadata),
  });
}
