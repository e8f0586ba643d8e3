import { randomUUID } from "node:crypto";
import type { NewSession } from "../../src/domain/session.js";
import type { Grant } from "../../src/store/grant-store.js";

let sequence = 0;

/** A session with unique key and sid; fields can be overridden. */
export function newSession(overrides: Partial<NewSession> = {}): NewSession {
  sequence++;
  const created = new Date(Date.UTC(2026, 0, 1) + sequence * 1000);
  return {
    key: `key-${randomUUID()}`,
    scheme: "idsrv",
    subjectId: `subject-${sequence}`,
    sessionId: `sid-${randomUUID()}`,
    displayName: `User ${sequence}`,
    issuer: "https://idp.example.com",
    created,
    renewed: created,
    expires: new Date(created.getTime() + 3_600_000),
    clientIds: [],
    ticket: Buffer.from("opaque-ticket"),
    ...overrides,
  };
}

/** A grant with a unique key; fields can be overridden. */
export function newGrant(overrides: Partial<Grant> & Pick<Grant, "type" | "clientId">): Grant {
  return {
    key: `grant-${randomUUID()}`,
    creationTime: new Date(Date.UTC(2026, 0, 1)),
    data: Buffer.from("{}"),
    ...overrides,
  };
}
