import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRemovalRequest, type RemovalRequestInput } from "../../src/domain/removal-request.js";

const request = (overrides: Partial<RemovalRequestInput>): RemovalRequestInput => ({
  subjectId: "",
  sessionId: "",
  clientIds: [],
  ...overrides,
});

const rejected = (field: string, message: RegExp) => ({ name: "DomainError", code: "invalid_argument", field, message });

describe("parseRemovalRequest()", () => {
  describe("subject_id and session_id", () => {
    it("should require at least one of them, naming subject_id", () => {
      assert.throws(() => parseRemovalRequest(request({})), rejected("subject_id", /subject_id or session_id is required/));
    });

    it("should not accept client ids or flags in place of a subject or session", () => {
      assert.throws(
        () => parseRemovalRequest(request({ clientIds: ["web"], removeServerSideSession: false })),
        rejected("subject_id", /subject_id/),
      );
    });

    it("should accept a subject alone, a session alone, or both", () => {
      const bySubject = parseRemovalRequest(request({ subjectId: "alice" }));
      assert.equal(bySubject.subjectId, "alice");
      assert.equal(bySubject.sessionId, undefined);

      const bySession = parseRemovalRequest(request({ sessionId: "sid-1" }));
      assert.equal(bySession.subjectId, undefined);
      assert.equal(bySession.sessionId, "sid-1");

      const byBoth = parseRemovalRequest(request({ subjectId: "alice", sessionId: "sid-1" }));
      assert.equal(byBoth.subjectId, "alice");
      assert.equal(byBoth.sessionId, "sid-1");
    });

    it("should reject over-long or malformed values naming the field", () => {
      assert.throws(() => parseRemovalRequest(request({ subjectId: "x".repeat(201) })), rejected("subject_id", /^subject_id: .*200/));
      assert.throws(() => parseRemovalRequest(request({ subjectId: "alice", sessionId: "\uD800" })), rejected("session_id", /^session_id: /));
    });

    it("should accept exactly 200 code points", () => {
      const max = "😀".repeat(200);
      assert.equal(parseRemovalRequest(request({ subjectId: max })).subjectId, max);
    });
  });

  describe("what to do", () => {
    it("should do everything when no flag is set", () => {
      const parsed = parseRemovalRequest(request({ subjectId: "alice" }));
      assert.equal(parsed.removeServerSideSession, true);
      assert.equal(parsed.revokeTokens, true);
      assert.equal(parsed.revokeConsents, true);
      assert.equal(parsed.sendBackchannelLogoutNotification, true);
    });

    it("should keep each flag that is explicitly false, independently of the others", () => {
      const flags = ["removeServerSideSession", "revokeTokens", "revokeConsents", "sendBackchannelLogoutNotification"] as const;
      for (const flag of flags) {
        const parsed = parseRemovalRequest(request({ subjectId: "alice", [flag]: false }));
        for (const other of flags) assert.equal(parsed[other], other !== flag, `${flag}=false: ${other}`);
      }
    });

    it("should keep flags that are explicitly true", () => {
      const parsed = parseRemovalRequest(
        request({ sessionId: "sid-1", removeServerSideSession: true, revokeTokens: true, revokeConsents: true, sendBackchannelLogoutNotification: true }),
      );
      assert.deepEqual(
        [parsed.removeServerSideSession, parsed.revokeTokens, parsed.revokeConsents, parsed.sendBackchannelLogoutNotification],
        [true, true, true, true],
      );
    });
  });

  describe("client_ids", () => {
    it("should mean all clients when empty", () => {
      assert.equal(parseRemovalRequest(request({ subjectId: "alice" })).clientIds, undefined);
    });

    it("should restrict to the given clients, duplicates collapsed", () => {
      const parsed = parseRemovalRequest(request({ subjectId: "alice", clientIds: ["web", "api", "web", "api", "web"] }));
      assert.deepEqual([...parsed.clientIds!].sort(), ["api", "web"]);
    });

    it("should reject an empty entry naming its position", () => {
      assert.throws(
        () => parseRemovalRequest(request({ subjectId: "alice", clientIds: ["web", ""] })),
        rejected("client_ids[1]", /^client_ids\[1\]: must not be empty/),
      );
    });

    it("should reject an over-long or malformed entry naming its position", () => {
      assert.throws(
        () => parseRemovalRequest(request({ subjectId: "alice", clientIds: ["x".repeat(201)] })),
        rejected("client_ids[0]", /^client_ids\[0\]: /),
      );
      assert.throws(
        () => parseRemovalRequest(request({ subjectId: "alice", clientIds: ["web", "api", "\uDC00"] })),
        rejected("client_ids[2]", /^client_ids\[2\]: /),
      );
    });

    it("should accept up to 1000 clients and reject more", () => {
      const ids = Array.from({ length: 1001 }, (_, i) => `client-${i}`);
      assert.equal(parseRemovalRequest(request({ subjectId: "alice", clientIds: ids.slice(0, 1000) })).clientIds?.size, 1000);
      assert.throws(
        () => parseRemovalRequest(request({ subjectId: "alice", clientIds: ids })),
        rejected("client_ids", /^client_ids: .*1000/),
      );
    });
  });
});
