/**
 * The people and clients the README's tour uses, so that its examples find
 * what they name. Their clients have no back-channel logout URI: ending their
 * sessions queues no notification, and a demo never reaches out.
 */

/** A client of the tour: enabled, without a back-channel logout URI. */
export const demoClientIds = ["web-app", "mobile-app", "admin-portal"] as const;

/** A signed-in device of one of the tour's people. */
export interface DemoPersonSession {
  subjectId: string;
  displayName: string;
  /** The session id (`sid`), readable so that the README can name it. */
  sessionId: string;
  clientIds: readonly string[];
  /** How long before the seeding the person signed in, and was last seen. */
  createdAgoMs: number;
  renewedAgoMs: number;
}

const minute = 60_000;

/**
 * In sign-in order, all within the last three hours (the generated sessions
 * end before): every one holds a refresh token per client, and every person a
 * consent per client, none of them expiring during a demo.
 */
export const demoPeople: readonly DemoPersonSession[] = [
  { subjectId: "alice", displayName: "Alice Liddell", sessionId: "alice-laptop", clientIds: ["web-app", "admin-portal"], createdAgoMs: 170 * minute, renewedAgoMs: 5 * minute },
  { subjectId: "alice", displayName: "Alice Liddell", sessionId: "alice-phone", clientIds: ["mobile-app"], createdAgoMs: 150 * minute, renewedAgoMs: 20 * minute },
  { subjectId: "bob", displayName: "Bob Marsh", sessionId: "bob-laptop", clientIds: ["web-app"], createdAgoMs: 120 * minute, renewedAgoMs: 30 * minute },
  { subjectId: "bob", displayName: "Bob Marsh", sessionId: "bob-phone", clientIds: ["mobile-app"], createdAgoMs: 90 * minute, renewedAgoMs: 10 * minute },
  { subjectId: "carol", displayName: "Carol Quinn", sessionId: "carol-desktop", clientIds: ["web-app", "admin-portal"], createdAgoMs: 60 * minute, renewedAgoMs: 2 * minute },
];

/** The subject ids of the tour's people, in order. */
export const demoSubjectIds: readonly string[] = [...new Set(demoPeople.map((p) => p.subjectId))];
