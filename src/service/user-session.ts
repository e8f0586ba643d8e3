import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { UserSessionSchema, type UserSession } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import type { StoredSession } from "../domain/session.js";
import { toSessionMetadata } from "./session-metadata.js";

/** The API form of a stored session: no store key, no ticket; `expired` as of `now`. */
export function toUserSession(session: StoredSession, now = new Date()): UserSession {
  return create(UserSessionSchema, {
    subjectId: session.subjectId,
    sessionId: session.sessionId ?? "",
    displayName: session.displayName ?? "",
    created: timestampFromDate(session.created),
    renewed: timestampFromDate(session.renewed),
    expires: session.expires && timestampFromDate(session.expires),
    issuer: session.issuer ?? "",
    clientIds: session.clientIds,
    metadata: toSessionMetadata(session.metadata),
    expired: session.expires !== undefined && session.expires.getTime() <= now.getTime(),
  });
}
