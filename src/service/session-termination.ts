import { create } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import {
  CancelTerminationJobResponseSchema,
  GetTerminationJobResponseSchema,
  ListTerminationJobsResponseSchema,
  SessionTermination,
  StartTerminationJobResponseSchema,
  TerminationJobState,
  WatchTerminationJobResponseSchema,
  type StartTerminationJobRequest,
} from "../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { DomainError, invalidArgument } from "../domain/errors.js";
import { isJobId, newJobId } from "../domain/job-id.js";
import { limits } from "../domain/limits.js";
import { resolvePageSize } from "../domain/page-size.js";
import { isFinalJobState, sameJobRequest, type JobDefinition, type JobState, type TerminationJob } from "../domain/termination-job.js";
import { optionalTextField, requiredTextField } from "../domain/text-field.js";
import { recordJobEnd } from "../jobs/job-audit.js";
import type { Stores } from "../store/stores.js";
import { principalKey } from "./auth/auth-interceptor.js";
import { filterToJson, sessionFilterOf } from "./job-filter.js";
import { jobStates, toJobMessage } from "./termination-job-message.js";
import { actionsOf, countMatching, createPreviewTermination, type PreviewDeps } from "./termination-preview.js";

/** What SessionTermination needs. */
export interface SessionTerminationDeps extends PreviewDeps {
  stores: Pick<Stores, "sessions" | "grants" | "clients" | "jobs" | "transaction">;
  /** Woken when a job is started, so that it starts at once. */
  runner: { wake(): void };
  /** Rate of a job started with sessions_per_second 0. */
  defaultSessionsPerSecond: number;
  /** Rates above this are served at it. */
  maxSessionsPerSecond: number;
  /** How often WatchTerminationJob looks at the job. */
  watchPollMs: number;
  /** Told when a call cancelled a job (the metrics). */
  onJobCancelled?: () => void;
  now?: () => Date;
}

const maxReasonLength = 500;

/** Registers SessionTermination: preview, start, get, list, cancel and watch termination jobs. */
export function registerSessionTermination(router: ConnectRouter, deps: SessionTerminationDeps): void {
  const now = deps.now ?? (() => new Date());
  const previewTermination = createPreviewTermination(deps);

  const find = async (jobId: string): Promise<TerminationJob> => {
    if (jobId === "") throw invalidArgument("job_id", "must not be empty");
    if (!isJobId(jobId)) throw invalidArgument("job_id", "is not a job id");
    const job = await deps.stores.jobs.get(jobId);
    if (job === undefined) throw new DomainError("not_found", `job_id: no job ${jobId}`, "job_id");
    return job;
  };

  router.service(SessionTermination, {
    previewTermination: (request) => previewTermination(request),

    async startTerminationJob(request, context) {
      const idempotencyKey = requiredTextField("idempotency_key", request.idempotencyKey, limits.identifier);
      const definition = await defineJob(deps, request);
      const at = now();
      const createdBy = context.values.get(principalKey)?.id ?? "anonymous";
      const { job, created } = await deps.stores.jobs.create({ id: newJobId(at), idempotencyKey, definition, createdBy, created: at });
      if (!created && !sameJobRequest(job.definition, definition)) {
        throw new DomainError("already_exists", `idempotency_key: was used for job ${job.id}, with a different definition`, "idempotency_key");
      }
      if (!created && job.state === "cancelled") {
        throw new DomainError(
          "failed_precondition",
          `job ${job.id} (this idempotency key) was cancelled; a cancelled job is not restarted: start a new job with a new idempotency key`,
          "idempotency_key",
        );
      }
      if (created) deps.runner.wake();
      return create(StartTerminationJobResponseSchema, { job: toJobMessage(job), created });
    },

    async getTerminationJob(request) {
      return create(GetTerminationJobResponseSchema, { job: toJobMessage(await find(request.jobId)) });
    },

    async listTerminationJobs(request) {
      const size = resolvePageSize(request.countRequested);
      if (request.resultsToken !== "" && !isJobId(request.resultsToken)) throw invalidArgument("results_token", "is not a valid results token");
      const state = stateFilter(request.state);
      const jobs = await deps.stores.jobs.list(size + 1, request.resultsToken || undefined, state);
      const page = jobs.slice(0, size);
      return create(ListTerminationJobsResponseSchema, {
        jobs: page.map(toJobMessage),
        resultsToken: jobs.length > size ? page.at(-1)!.id : "",
      });
    },

    async cancelTerminationJob(request, context) {
      const job = await find(request.jobId);
      const by = context.values.get(principalKey)?.id ?? "anonymous";
      const cancelledNow = await deps.stores.transaction(async (tx) => {
        if (!(await tx.jobs.cancel(job.id, by, now()))) return false;
        const cancelled = await tx.jobs.get(job.id);
        if (cancelled !== undefined) await recordJobEnd(tx.audit, cancelled);
        return true;
      });
      if (cancelledNow) deps.onJobCancelled?.();
      const after = (await deps.stores.jobs.get(job.id)) ?? job;
      if (after.state !== "cancelled") {
        throw new DomainError("failed_precondition", `job ${job.id} has already ended (${after.state}): it cannot be cancelled`, "job_id");
      }
      return create(CancelTerminationJobResponseSchema, { job: toJobMessage(after) });
    },

    watchTerminationJob: (request, context) => watch(request.jobId, context),
  });

  async function* watch(jobId: string, context: HandlerContext) {
    let job: TerminationJob | undefined = await find(jobId);
    let sent = "";
    while (job !== undefined) {
      const seen = `${job.state}|${job.updated.getTime()}|${job.batches}`;
      if (seen !== sent) {
        yield create(WatchTerminationJobResponseSchema, { job: toJobMessage(job) });
        sent = seen;
      }
      if (isFinalJobState(job.state)) return;
      await sleep(deps.watchPollMs, context.signal);
      job = await deps.stores.jobs.get(jobId);
    }
  }
}

// Validates a start request into the job's definition, with its bound (the
// newest session now) and its forecast.
async function defineJob(deps: SessionTerminationDeps, request: StartTerminationJobRequest): Promise<JobDefinition> {
  const filter = sessionFilterOf(request.filter, true);
  const { clientIds, ...flags } = actionsOf(request.actions);
  if (!Number.isInteger(request.sessionsPerSecond) || request.sessionsPerSecond < 0) {
    throw invalidArgument("sessions_per_second", "must not be negative");
  }
  const sessionsPerSecond = Math.min(request.sessionsPerSecond || deps.defaultSessionsPerSecond, deps.maxSessionsPerSecond);
  const reason = optionalTextField("reason", request.reason, maxReasonLength) ?? "";
  const lastPk = await deps.stores.sessions.newestPk();
  const expected = await countMatching(deps, filter);
  return {
    filter: filterToJson(request.filter),
    actions: { ...flags, clientIds: clientIds && [...clientIds] },
    includeNewSessions: request.includeNewSessions,
    sessionsPerSecond,
    reason,
    lastPk,
    expectedSessions: expected.sessions,
    expectedIsEstimate: expected.isEstimate,
  };
}

function stateFilter(state: TerminationJobState): JobState | undefined {
  if (state === TerminationJobState.UNSPECIFIED) return undefined;
  const found = (Object.entries(jobStates) as [JobState, TerminationJobState][]).find(([, value]) => value === state);
  if (found === undefined) throw invalidArgument("state", "is not a job state");
  return found[0];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve();
    }, ms);
    function stop() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", stop, { once: true });
  });
}
