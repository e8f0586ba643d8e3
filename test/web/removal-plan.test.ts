import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describePlan, parseClientIds, removalRequest, type RemovalOptions } from "../../src/web/removal-plan.js";

const all: RemovalOptions = { removeSession: true, revokeTokens: true, revokeConsents: true, notifyClients: true, clientIds: [] };

describe("the admin page's removal plan", () => {
  it("should send every switch explicitly, and the session id only when ending one session", () => {
    assert.deepEqual(removalRequest({ kind: "subject", subjectId: "alice" }, { ...all, revokeConsents: false, clientIds: ["web-app"] }), {
      subjectId: "alice",
      sessionId: "",
      clientIds: ["web-app"],
      removeServerSideSession: true,
      revokeTokens: true,
      revokeConsents: false,
      sendBackchannelLogoutNotification: true,
    });
    assert.equal(removalRequest({ kind: "session", subjectId: "alice", sessionId: "s1" }, all).sessionId, "s1");
  });

  it("should describe one step per chosen switch, naming the clients when limited", () => {
    const target = { kind: "session", subjectId: "alice", sessionId: "s1" } as const;
    assert.equal(describePlan(target, all).length, 4);
    const limited = describePlan(target, { ...all, removeSession: false, revokeConsents: false, clientIds: ["a", "b"] });
    assert.equal(limited.length, 2);
    assert.ok(limited.every((step) => step.includes("clients a, b")), limited.join("\n"));
    assert.deepEqual(describePlan(target, { ...all, removeSession: false, revokeTokens: false, revokeConsents: false, notifyClients: false }), []);
  });

  it("should read client ids separated by commas or spaces, once each", () => {
    assert.deepEqual(parseClientIds(" a, b  c,,a "), ["a", "b", "c"]);
    assert.deepEqual(parseClientIds("  "), []);
  });
});
