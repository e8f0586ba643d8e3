import { isFieldSet, type DescMessage, type Message } from "@bufbuild/protobuf";
import type { QuerySessionsRequest, RemoveSessionsRequest } from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { DomainError } from "../../domain/errors.js";
import { selfServicePermission } from "./permissions.js";

/** The restriction of one self-service method: checks the request and fixes its subject, in place. */
export type SelfScope = (message: never, subject: string) => void;

/**
 * The restriction of each self-service method (see permissions.ts), by
 * "package.Service/Method". Every other filter of these requests only narrows
 * the subject's sessions further, so fixing `subject_id` keeps other subjects'
 * sessions out of reach. A session id is matched within the caller's own
 * sessions: another subject's session id matches nothing, as an unknown one.
 */
export const selfScopes: Readonly<Record<string, SelfScope>> = {
  "sessionmanagement.v1.SessionManagement/QuerySessions": (message: QuerySessionsRequest, subject: string) => {
    message.subjectId = ownSubject(message.subjectId, subject);
  },
  "sessionmanagement.v1.SessionManagement/RemoveSessions": (message: RemoveSessionsRequest, subject: string) => {
    const own = ownSubject(message.subjectId, subject);
    // Ending a session ends all of it: a user cannot keep the session's tokens
    // alive, nor keep its clients from hearing of the logout. Consents are
    // the user's choice either way.
    if (message.clientIds.length > 0) throw refused("client_ids", "must be empty: every client of the sessions is included");
    for (const [field, value] of [
      ["remove_server_side_session", message.removeServerSideSession],
      ["revoke_tokens", message.revokeTokens],
      ["send_backchannel_logout_notification", message.sendBackchannelLogoutNotification],
    ] as const) {
      if (value === false) throw refused(field, "cannot be false: leave it unset or true");
    }
    message.subjectId = own;
  },
};

/**
 * Restricts the request of a self-service `method` to the sessions of
 * `subject`, in place, before its handler runs; a refused request is left as
 * it came. Refusals are PERMISSION_DENIED naming the field: the request is
 * well formed, the caller may just not make it. A method without a
 * restriction is refused, as is any field other than `subject_id` that names
 * subjects (one a later version might add), so that no such field can widen
 * what the caller reaches.
 */
export function restrictToSubject(method: string, schema: DescMessage, message: Message, subject: string): void {
  const scope = selfScopes[method];
  if (scope === undefined) throw new DomainError("permission_denied", `${method} has no ${selfServicePermission} restriction`);
  for (const field of schema.fields) {
    if (field.name !== "subject_id" && field.name.includes("subject") && isFieldSet(message, field)) {
      throw refused(field.name, "must be empty: the caller's own subject_id is implied");
    }
  }
  scope(message as never, subject);
}

/** The subject to filter by: the caller's own, whether the request left it empty or named it. */
function ownSubject(requested: string, subject: string): string {
  if (requested !== "" && requested !== subject) throw refused("subject_id", "must be empty or the caller's own subject");
  return subject;
}

function refused(field: string, problem: string): DomainError {
  return new DomainError("permission_denied", `${field}: ${problem} (a ${selfServicePermission} caller reaches only its own sessions)`, field);
}
