import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  TerminationJobSchema,
  TerminationJobState,
  type TerminationJob as TerminationJobMessage,
} from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import type { JobState, TerminationCounts, TerminationJob } from "../domain/termination-job.js";
import { filterMessageOf } from "./job-filter.js";

/** Job states and their API enum values, both ways. */
export const jobStates: Readonly<Record<JobState, TerminationJobState>> = {
  pending: TerminationJobState.PENDING,
  running: TerminationJobState.RUNNING,
  succeeded: TerminationJobState.SUCCEEDED,
  cancelled: TerminationJobState.CANCELLED,
  failed: TerminationJobState.FAILED,
};

/** The API form of a job. */
export function toJobMessage(job: TerminationJob): TerminationJobMessage {
  const { actions } = job.definition;
  return create(TerminationJobSchema, {
    jobId: job.id,
    idempotencyKey: job.idempotencyKey,
    filter: filterMessageOf(job.definition),
    actions: {
      clientIds: actions.clientIds ?? [],
      removeServerSideSession: actions.removeServerSideSession,
      revokeTokens: actions.revokeTokens,
      revokeConsents: actions.revokeConsents,
      sendBackchannelLogoutNotification: actions.sendBackchannelLogoutNotification,
    },
    includeNewSessions: job.definition.includeNewSessions,
    sessionsPerSecond: job.definition.sessionsPerSecond,
    reason: job.definition.reason,
    createdBy: job.createdBy,
    state: jobStates[job.state],
    progress: figures(job.progress),
    batches: BigInt(job.batches),
    expectedSessions: BigInt(job.definition.expectedSessions),
    expectedSessionsIsEstimate: job.definition.expectedIsEstimate,
    createTime: timestampFromDate(job.created),
    updateTime: timestampFromDate(job.updated),
    endTime: job.ended && timestampFromDate(job.ended),
    error: job.error ?? "",
    cancelledBy: job.cancelledBy ?? "",
  });
}

/** Counts as the API's TerminationFigures. */
export function figures(counts: TerminationCounts) {
  return {
    sessions: BigInt(counts.sessions),
    tokens: BigInt(counts.tokens),
    consents: BigInt(counts.consents),
    notifications: BigInt(counts.notifications),
  };
}
