import type { RemovalActions } from "./removal-request.js";

/** Where a termination job stands; the last three are final. */
export type JobState = "pending" | "running" | "succeeded" | "cancelled" | "failed";

/** The states a job can still leave. */
export const activeJobStates: readonly JobState[] = ["pending", "running"];

/** Whether a job in this state is over. */
export function isFinalJobState(state: JobState): boolean {
  return !activeJobStates.includes(state);
}

/** What a termination did: sums over committed batches. */
export interface TerminationCounts {
  sessions: number;
  tokens: number;
  consents: number;
  notifications: number;
}

/** No work yet. */
export const noCounts: TerminationCounts = { sessions: 0, tokens: 0, consents: 0, notifications: 0 };

/** Adds two sets of counts. */
export function addCounts(a: TerminationCounts, b: TerminationCounts): TerminationCounts {
  return {
    sessions: a.sessions + b.sessions,
    tokens: a.tokens + b.tokens,
    consents: a.consents + b.consents,
    notifications: a.notifications + b.notifications,
  };
}

/** A job's immutable definition, fixed when it was started. */
export interface JobDefinition {
  /**
   * The request's SessionFilter message in its canonical JSON form, parsed
   * again (by the one function that maps it to the domain filter) whenever
   * the job runs, so that filter fields added later are kept as given.
   */
  filter: { [field: string]: unknown };
  /** Client restriction as a list (JSON has no sets). */
  actions: Omit<RemovalActions, "clientIds"> & { clientIds?: string[] };
  includeNewSessions: boolean;
  sessionsPerSecond: number;
  reason: string;
  /**
   * The walk ends at this session pk (the newest recorded when the job
   * started), unless `includeNewSessions`. Sessions are recorded in pk order,
   * so later ones lie beyond it.
   */
  lastPk?: number;
  expectedSessions: number;
  expectedIsEstimate: boolean;
}

/** A stored termination job. */
export interface TerminationJob {
  id: string;
  idempotencyKey: string;
  definition: JobDefinition;
  createdBy: string;
  state: JobState;
  /** The pk of the last session the walk has passed; 0 before the first batch. */
  cursorPk: number;
  progress: TerminationCounts;
  batches: number;
  leaseOwner?: string;
  leaseExpiresAt?: Date;
  created: Date;
  updated: Date;
  ended?: Date;
  error?: string;
  cancelledBy?: string;
}

/** Whether two definitions ask for the same work (the bound and the forecast aside). */
export function sameJobRequest(a: JobDefinition, b: JobDefinition): boolean {
  const request = (d: JobDefinition) =>
    JSON.stringify([
      Object.entries(d.filter).sort(([a], [b]) => (a < b ? -1 : 1)),
      d.actions.clientIds === undefined ? null : [...d.actions.clientIds].sort(),
      d.actions.removeServerSideSession,
      d.actions.revokeTokens,
      d.actions.revokeConsents,
      d.actions.sendBackchannelLogoutNotification,
      d.includeNewSessions,
      d.sessionsPerSecond,
      d.reason,
    ]);
  return request(a) === request(b);
}
