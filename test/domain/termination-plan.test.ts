import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  planConsentRevocations,
  planNotifications,
  type ConsentRevocation,
  type PlannedNotification,
  type TerminatedSession,
} from "../../src/domain/termination-plan.js";

const issuer = "https://idp.example.com";

const session = (pk: number, subjectId: string, clientIds: string[]): TerminatedSession => ({
  pk,
  subjectId,
  sessionId: `sid-${pk}`,
  issuer,
  clientIds,
});

const pairs = (notifications: PlannedNotification[]) => notifications.map((n) => `${n.sessionId}>${n.clientId}`).sort();

const sorted = (revocations: ConsentRevocation[]) =>
  revocations
    .map((r) => ({ subjectId: r.subjectId, clientIds: r.clientIds && [...r.clientIds].sort() }))
    .sort((a, b) => a.subjectId.localeCompare(b.subjectId));

describe("planNotifications()", () => {
  const everyone = new Set(["web", "api", "admin", "mobile"]);

  it("should notify every client of every session, one notification per session × client", () => {
    const sessions = [session(1, "alice", ["web", "api"]), session(2, "alice", ["web"]), session(3, "bob", ["mobile"])];
    assert.deepEqual(pairs(planNotifications(sessions, undefined, everyone, "admin_removal")), [
      "sid-1>api",
      "sid-1>web",
      "sid-2>web",
      "sid-3>mobile",
    ]);
  });

  it("should carry the session's sub, sid and issuer and the reason", () => {
    const planned = planNotifications([session(1, "alice", ["web"])], undefined, everyone, "admin_removal");
    assert.deepEqual(planned, [{ clientId: "web", subjectId: "alice", sessionId: "sid-1", issuer, reason: "admin_removal" }]);
    const withoutSid = { ...session(2, "bob", ["api"]), sessionId: undefined };
    const expired = planNotifications([withoutSid], undefined, everyone, "expired");
    assert.deepEqual(expired, [{ clientId: "api", subjectId: "bob", sessionId: undefined, issuer, reason: "expired" }]);
  });

  it("should notify only the requested clients", () => {
    const sessions = [session(1, "alice", ["web", "api", "admin"]), session(2, "alice", ["api", "mobile"])];
    assert.deepEqual(pairs(planNotifications(sessions, new Set(["api", "mobile"]), everyone, "admin_removal")), [
      "sid-1>api",
      "sid-2>api",
      "sid-2>mobile",
    ]);
  });

  it("should notify only clients that can receive a notification", () => {
    const sessions = [session(1, "alice", ["web", "api", "unknown"])];
    assert.deepEqual(pairs(planNotifications(sessions, undefined, new Set(["api"]), "admin_removal")), ["sid-1>api"]);
  });

  it("should apply both restrictions together", () => {
    const sessions = [session(1, "alice", ["web", "api", "admin"])];
    const planned = planNotifications(sessions, new Set(["web", "api"]), new Set(["api", "admin"]), "user_logout");
    assert.deepEqual(pairs(planned), ["sid-1>api"]);
  });

  it("should not notify the client that initiated a user logout", () => {
    const sessions = [session(1, "alice", ["web", "api"]), session(2, "alice", ["web", "mobile"])];
    assert.deepEqual(pairs(planNotifications(sessions, undefined, everyone, "user_logout", "web")), ["sid-1>api", "sid-2>mobile"]);
    assert.deepEqual(pairs(planNotifications(sessions, undefined, everyone, "user_logout", "unknown")).length, 4);
  });

  it("should notify a client once per session even when the session lists it twice", () => {
    const planned = planNotifications([session(1, "alice", ["web", "web", "api", "web"])], undefined, everyone, "admin_removal");
    assert.deepEqual(pairs(planned), ["sid-1>api", "sid-1>web"]);
  });

  it("should plan nothing for sessions without notifiable clients", () => {
    assert.deepEqual(planNotifications([session(1, "alice", [])], undefined, everyone, "admin_removal"), []);
    assert.deepEqual(planNotifications([session(1, "alice", ["web"])], undefined, new Set(), "admin_removal"), []);
    assert.deepEqual(planNotifications([session(1, "alice", ["web"])], new Set(["api"]), everyone, "admin_removal"), []);
    assert.deepEqual(planNotifications([], undefined, everyone, "admin_removal"), []);
  });
});

describe("planConsentRevocations()", () => {
  describe("for a subject", () => {
    it("should revoke the subject's consents for every client", () => {
      const sessions = [session(1, "alice", ["web"])];
      assert.deepEqual(planConsentRevocations({ subjectId: "alice" }, sessions), [{ subjectId: "alice", clientIds: undefined }]);
    });

    // Consents belong to the subject, not to its sessions.
    it("should revoke the subject's consents even when no session matched", () => {
      assert.deepEqual(planConsentRevocations({ subjectId: "alice" }, []), [{ subjectId: "alice", clientIds: undefined }]);
    });

    it("should revoke only the requested clients' consents", () => {
      const planned = planConsentRevocations({ subjectId: "alice", clientIds: new Set(["web", "api"]) }, [session(1, "alice", ["web"])]);
      assert.deepEqual(sorted(planned), [{ subjectId: "alice", clientIds: ["api", "web"] }]);
    });
  });

  describe("for a session id", () => {
    it("should revoke the consents of that session's subject for that session's clients", () => {
      const planned = planConsentRevocations({ sessionId: "sid-1" }, [session(1, "alice", ["web", "api"])]);
      assert.deepEqual(sorted(planned), [{ subjectId: "alice", clientIds: ["api", "web"] }]);
    });

    it("should intersect the session's clients with the requested ones", () => {
      const planned = planConsentRevocations({ sessionId: "sid-1", clientIds: new Set(["api", "mobile"]) }, [
        session(1, "alice", ["web", "api"]),
      ]);
      assert.deepEqual(sorted(planned), [{ subjectId: "alice", clientIds: ["api"] }]);
    });

    it("should revoke nothing when the intersection is empty", () => {
      const planned = planConsentRevocations({ sessionId: "sid-1", clientIds: new Set(["mobile"]) }, [session(1, "alice", ["web", "api"])]);
      assert.deepEqual(planned, []);
    });

    it("should revoke nothing for a session without clients or when no session matched", () => {
      assert.deepEqual(planConsentRevocations({ sessionId: "sid-1" }, [session(1, "alice", [])]), []);
      assert.deepEqual(planConsentRevocations({ sessionId: "sid-1" }, []), []);
    });

    it("should combine sessions per subject, each client once", () => {
      const sessions = [
        session(1, "alice", ["web", "api"]),
        session(2, "bob", ["mobile"]),
        session(3, "alice", ["api", "admin", "admin"]),
        session(4, "carol", ["web"]),
      ];
      const planned = planConsentRevocations({ sessionId: "shared-sid", clientIds: new Set(["web", "api", "admin"]) }, sessions);
      assert.deepEqual(sorted(planned), [
        { subjectId: "alice", clientIds: ["admin", "api", "web"] },
        { subjectId: "carol", clientIds: ["web"] },
      ]);
      for (const revocation of planned) {
        assert.equal(new Set(revocation.clientIds).size, revocation.clientIds?.length, revocation.subjectId);
      }
    });

    it("should treat sessions selected without subject or session id (by key) one by one", () => {
      const planned = planConsentRevocations({}, [session(1, "alice", ["web"]), session(2, "bob", ["api"])]);
      assert.deepEqual(sorted(planned), [
        { subjectId: "alice", clientIds: ["web"] },
        { subjectId: "bob", clientIds: ["api"] },
      ]);
    });

    it("should not revoke every client's consents when a session id is given with a subject", () => {
      const planned = planConsentRevocations({ subjectId: "alice", sessionId: "sid-1" }, [session(1, "alice", ["web"])]);
      assert.deepEqual(sorted(planned), [{ subjectId: "alice", clientIds: ["web"] }]);
    });
  });
});
