import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create, createFileRegistry, type DescMessage, type Message } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { QuerySessionsRequestSchema, RemoveSessionsRequestSchema } from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { isDomainError } from "../../../src/domain/errors.js";
import { restrictToSubject } from "../../../src/service/auth/self-scope.js";

const query = "sessionmanagement.v1.SessionManagement/QuerySessions";
const remove = "sessionmanagement.v1.SessionManagement/RemoveSessions";

/** The refusal's code and field, or "admitted" with the request as it was left. */
function outcome(method: string, schema: DescMessage, message: Message, subject = "alice") {
  try {
    restrictToSubject(method, schema, message, subject);
    return { admitted: message };
  } catch (error) {
    assert.ok(isDomainError(error));
    return { refused: `${error.code} ${error.field}` };
  }
}

describe("restrictToSubject()", () => {
  it("should fix QuerySessions to the caller's subject when subject_id is empty or its own, keeping the other filters", () => {
    for (const subjectId of ["", "alice"]) {
      const { admitted } = outcome(query, QuerySessionsRequestSchema, create(QuerySessionsRequestSchema, { subjectId, displayName: "Lap", countRequested: 5 }));
      assert.deepEqual(admitted, create(QuerySessionsRequestSchema, { subjectId: "alice", displayName: "Lap", countRequested: 5 }));
    }
  });

  it("should refuse another subject_id, and one differing only in case or spaces, leaving the request as it came", () => {
    for (const subjectId of ["bob", "Alice", "alice ", " alice"]) {
      const message = create(QuerySessionsRequestSchema, { subjectId });
      assert.deepEqual(outcome(query, QuerySessionsRequestSchema, message), { refused: "permission_denied subject_id" });
      assert.equal(message.subjectId, subjectId);
    }
  });

  it("should admit RemoveSessions with the switches unset or true and any revoke_consents, fixed to the caller's subject", () => {
    const message = create(RemoveSessionsRequestSchema, { sessionId: "s1", removeServerSideSession: true, revokeTokens: true, revokeConsents: false });
    assert.deepEqual(outcome(remove, RemoveSessionsRequestSchema, message).admitted, create(RemoveSessionsRequestSchema, {
      subjectId: "alice",
      sessionId: "s1",
      removeServerSideSession: true,
      revokeTokens: true,
      revokeConsents: false,
    }));
  });

  it("should refuse the switches turned off and a client restriction, naming the field, leaving the request as it came", () => {
    const cases: [Parameters<typeof create<typeof RemoveSessionsRequestSchema>>[1], string][] = [
      [{ removeServerSideSession: false }, "remove_server_side_session"],
      [{ revokeTokens: false }, "revoke_tokens"],
      [{ sendBackchannelLogoutNotification: false }, "send_backchannel_logout_notification"],
      [{ clientIds: ["web"] }, "client_ids"],
      [{ subjectId: "bob" }, "subject_id"],
    ];
    for (const [init, field] of cases) {
      const message = create(RemoveSessionsRequestSchema, init);
      assert.deepEqual(outcome(remove, RemoveSessionsRequestSchema, message), { refused: `permission_denied ${field}` });
      assert.deepEqual(message, create(RemoveSessionsRequestSchema, init));
    }
  });

  it("should refuse any other field naming subjects, such as one a later version adds, and a method without a restriction", () => {
    const string = FieldDescriptorProto_Type.STRING;
    const file = create(FileDescriptorProtoSchema, {
      name: "later.proto",
      package: "later",
      syntax: "proto3",
      messageType: [
        {
          name: "QuerySessionsRequest",
          field: [
            { name: "subject_id", jsonName: "subjectId", number: 4, type: string, label: FieldDescriptorProto_Label.OPTIONAL },
            { name: "subject_ids", jsonName: "subjectIds", number: 20, type: string, label: FieldDescriptorProto_Label.REPEATED },
            { name: "subject_id_prefix", jsonName: "subjectIdPrefix", number: 21, type: string, label: FieldDescriptorProto_Label.OPTIONAL },
          ],
        },
      ],
    });
    const later = createFileRegistry(file, () => undefined).getMessage("later.QuerySessionsRequest")!;
    assert.deepEqual(outcome(query, later, create(later, { subjectIds: ["bob"] })), { refused: "permission_denied subject_ids" });
    assert.deepEqual(outcome(query, later, create(later, { subjectIdPrefix: "b" })), { refused: "permission_denied subject_id_prefix" });
    assert.deepEqual(outcome(query, later, create(later, {})).admitted, create(later, { subjectId: "alice" }));
    const other = "sessionmanagement.v1.LogoutNotifications/ListNotifications";
    assert.deepEqual(outcome(other, QuerySessionsRequestSchema, create(QuerySessionsRequestSchema)), { refused: "permission_denied undefined" });
  });
});
