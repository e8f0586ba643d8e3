import { TerminationJobState } from "../../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { flag, stringValue, type Command, type CommandContext } from "./command.js";
import { ExitCode, UsageError } from "./errors.js";
import { describeJob, endLine, isFinal, printJobs, statesByName } from "./job-output.js";
import { watchJob } from "./job-watch.js";
import { noteMore, pagingOptions, walkPages } from "./paging.js";

const jsonOption = { json: { type: "boolean", description: "print JSON instead of text" } } as const;

/** The one job id a command works on. */
function jobIdOf(context: CommandContext): string {
  if (context.args.length !== 1) throw new UsageError(`name one job: sessionctl jobs <command> JOB_ID`);
  return context.args[0]!;
}

/** `jobs list`: termination jobs, newest first. */
export const listJobs: Command = {
  group: "jobs",
  name: "list",
  summary: "list termination jobs, newest first",
  usage: "",
  options: {
    state: { type: "string", value: "STATE", description: `only jobs in this state: ${Object.keys(statesByName).join(", ")}` },
    ...pagingOptions,
  },
  async run(context) {
    const stateText = stringValue(context, "state");
    const state = stateText === undefined ? TerminationJobState.UNSPECIFIED : statesByName[stateText];
    if (state === undefined) throw new UsageError(`--state: must be one of ${Object.keys(statesByName).join(", ")}`);
    const walk = await walkPages(context, async (countRequested, resultsToken) => {
      const page = await context.services().termination.listTerminationJobs({ countRequested, resultsToken, state });
      return { results: page.jobs, resultsToken: page.resultsToken, hasNextResults: page.resultsToken !== "" };
    });
    printJobs(context, walk.rows);
    noteMore(context, walk);
    return ExitCode.ok;
  },
};

/** `jobs get ID`: one job and its progress. */
export const getJob: Command = {
  group: "jobs",
  name: "get",
  summary: "show one termination job and its progress",
  usage: "JOB_ID",
  options: { ...jsonOption },
  async run(context) {
    const { job } = await context.services().termination.getTerminationJob({ jobId: jobIdOf(context) });
    if (job === undefined) return ExitCode.failure;
    if (flag(context, "json")) printJobs(context, [job]);
    else context.stdout.write(`${describeJob(job).join("\n")}\n`);
    return ExitCode.ok;
  },
};

/** `jobs watch ID`: follows a job with a progress bar until it ends. */
export const watchJobCommand: Command = {
  group: "jobs",
  name: "watch",
  summary: "follow a termination job until it ends (Ctrl-C detaches; the job goes on)",
  usage: "JOB_ID",
  details: [
    "Shows a progress bar on a terminal, then how the job ended. Ctrl-C stops",
    "watching only: the job carries on in the server (exit code 130).",
    "Exit code 0 when the job finished, 1 when it was cancelled or failed.",
  ],
  options: { ...jsonOption },
  run: (context) => watchJob(context, jobIdOf(context)),
};

/** `jobs cancel ID`: stops a job after its batch in flight. */
export const cancelJob: Command = {
  group: "jobs",
  name: "cancel",
  summary: "cancel a termination job (what it has done stays done)",
  usage: "JOB_ID",
  details: [
    "The job stops after the batch in flight, which rolls back as a whole: what it",
    "terminated is exactly what its counts say. Cancelling a cancelled job is a no-op;",
    "a job that finished or failed cannot be cancelled.",
  ],
  options: { ...jsonOption },
  async run(context) {
    const { job } = await context.services().termination.cancelTerminationJob({ jobId: jobIdOf(context) });
    if (job === undefined) return ExitCode.failure;
    if (flag(context, "json")) printJobs(context, [job]);
    else context.stdout.write(`${isFinal(job) ? endLine(job) : `job ${job.jobId} is stopping`}\n`);
    return ExitCode.ok;
  },
};
