import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { notificationFilterKey, parseNotificationFilter } from "../../src/domain/notification-filter.js";
import { parseNotificationIds } from "../../src/domain/notification-ids.js";

const empty = { clientId: "", subjectId: "", sessionId: "" };

describe("parseNotificationFilter()", () => {
  it("should drop empty fields and keep the others", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    const to = new Date("2026-02-01T00:00:00Z");
    assert.deepEqual(parseNotificationFilter({ status: "dead", clientId: "web", subjectId: "", sessionId: "sid", startTime: from, endTime: to }), {
      status: "dead",
      clientId: "web",
      subjectId: undefined,
      sessionId: "sid",
      createdFrom: from,
      createdTo: to,
    });
  });

  it("should refuse an empty or inverted time range, naming end_time", () => {
    const t = new Date("2026-01-01T00:00:00Z");
    assert.throws(() => parseNotificationFilter({ ...empty, startTime: t, endTime: t }), /^DomainError: end_time: must be after start_time$/);
    assert.throws(() => parseNotificationFilter({ ...empty, startTime: t, endTime: new Date(t.getTime() - 1) }), /end_time/);
  });

  it("should validate text fields like the other filters", () => {
    assert.throws(() => parseNotificationFilter({ ...empty, clientId: "x".repeat(201) }), /^DomainError: client_id: must be at most 200 characters$/);
    assert.throws(() => parseNotificationFilter({ ...empty, subjectId: "\uD800" }), /subject_id: must be valid UTF-8 text/);
  });
});

describe("notificationFilterKey()", () => {
  it("should tell filters apart and never equal a session filter's key", () => {
    const keys = [
      parseNotificationFilter(empty),
      parseNotificationFilter({ ...empty, status: "failed" }),
      parseNotificationFilter({ ...empty, clientId: "a" }),
      parseNotificationFilter({ ...empty, subjectId: "a" }),
      parseNotificationFilter({ ...empty, sessionId: "a" }),
      parseNotificationFilter({ ...empty, startTime: new Date(0) }),
      parseNotificationFilter({ ...empty, endTime: new Date(0) }),
    ].map(notificationFilterKey);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(keys.every((key) => key.startsWith('["notifications"')));
  });
});

describe("parseNotificationIds()", () => {
  it("should return the ids as numbers, without repeats", () => {
    assert.deepEqual(parseNotificationIds([3n, 1n, 3n]), [3, 1]);
  });

  it("should refuse an empty list, too many ids and ids that cannot exist", () => {
    assert.throws(() => parseNotificationIds([]), /^DomainError: notification_ids: must not be empty$/);
    assert.throws(() => parseNotificationIds(Array.from({ length: 1001 }, (_, i) => BigInt(i + 1))), /notification_ids: must list at most 1000 ids/);
    assert.throws(() => parseNotificationIds([1n, 0n]), /^DomainError: notification_ids\[1\]: must be a positive id$/);
    assert.throws(() => parseNotificationIds([-5n]), /notification_ids\[0\]/);
    assert.throws(() => parseNotificationIds([2n ** 53n]), /notification_ids\[0\]/);
  });
});
