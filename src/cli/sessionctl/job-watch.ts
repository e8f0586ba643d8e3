import { TerminationJobSchema, TerminationJobState, type TerminationJob } from "../../../gen/ts/sessionmanagement/v1/session_termination_pb.js";
import { flag, type CommandContext } from "./command.js";
import { CliError, describeFailure, ExitCode, isBrokenConnection } from "./errors.js";
import { endLine, isFinal, progressPhrase, stateName } from "./job-output.js";
import { writeJsonLine } from "./output.js";
import { progressBar, type ProgressBar } from "./progress.js";

// A broken watch is opened again this many times in a row before giving up.
const watchRetries = 3;
const retryDelayMs = 1000;

/** What a job's end means to a script: finished 0; cancelled or failed 1. */
export function jobExitCode(job: TerminationJob): number {
  return job.state === TerminationJobState.SUCCEEDED ? ExitCode.ok : ExitCode.failure;
}

/** The line that tells an operator who detached how to carry on. */
export function detachedLine(jobId: string): string {
  return `detached; the job goes on: sessionctl jobs watch ${jobId} / sessionctl jobs cancel ${jobId}`;
}

/**
 * Follows a job with WatchTerminationJob until it ends, with a progress bar
 * on a terminal (state changes as lines elsewhere), then prints how it
 * ended (the job as JSON with --json). Ctrl-C detaches: the job is not
 * cancelled, and the operator is told how to watch or cancel it. A broken
 * stream is opened again a few times. Resolves to the exit code.
 */
export async function watchJob(context: CommandContext, jobId: string): Promise<number> {
  const json = flag(context, "json");
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once("SIGINT", onInterrupt);
  let bar: ProgressBar | undefined;
  let last: TerminationJob | undefined;
  let failures = 0;
  try {
    if (!json) context.stderr.write(`watching job ${jobId} (Ctrl-C detaches; the job goes on)\n`);
    while (last === undefined || !isFinal(last)) {
      try {
        for await (const { job } of context.services().termination.watchTerminationJob({ jobId }, { signal: stop.signal, timeoutMs: 0 })) {
          if (job === undefined) continue;
          failures = 0;
          if (!json && (last === undefined || last.state !== job.state) && !context.interactive.stderr) {
            context.stderr.write(`job ${jobId}: ${stateName(job.state)}, ${progressPhrase(job)}\n`);
          }
          bar ??= progressBar(context.stderr, Number(job.expectedSessions), context.interactive.stderr && !json);
          bar.update(Number(job.progress?.sessions ?? 0n));
          last = job;
        }
        // A stream that ends before the job does (the server going away) is watched again too.
        if (last !== undefined && !isFinal(last) && ++failures > watchRetries) throw new CliError(`the watch of job ${jobId} kept ending early; the job goes on`, ExitCode.failure);
      } catch (error) {
        if (stop.signal.aborted) break;
        if (error instanceof CliError || !isBrokenConnection(error) || ++failures > watchRetries) throw error;
        bar?.clear();
        context.stderr.write(`the watch broke (${describeFailure(error, context.address).message}); watching again...\n`);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * failures));
      }
      if (stop.signal.aborted) break;
    }
  } finally {
    process.off("SIGINT", onInterrupt);
    bar?.clear();
  }
  if (stop.signal.aborted || last === undefined) {
    context.stderr.write(`${detachedLine(jobId)}\n`);
    return ExitCode.interrupted;
  }
  if (json) writeJsonLine(context.stdout, TerminationJobSchema, last);
  else context.stdout.write(`${endLine(last)}\n`);
  return jobExitCode(last);
}
