import { readFile } from "node:fs/promises";
import type { RemoveSessionsRequest, RemoveSessionsResponse } from "../../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { flag, type CommandContext } from "./command.js";
import { confirm } from "./confirm.js";
import { CliError, describeFailure, ExitCode, isFatal } from "./errors.js";
import { plural } from "./output.js";
import { progressBar } from "./progress.js";

type Counts = Pick<RemoveSessionsResponse, "sessionsRemoved" | "tokensRevoked" | "consentsRevoked" | "notificationsQueued">;

/** Reads a subjects file: one subject id per line; blank lines and `#` comments are skipped. */
export async function readSubjectsFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(`--subjects-file ${path}: cannot be read: ${(error as Error).message}`, ExitCode.usage);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * Ends the sessions of every subject in a file, one RemoveSessions call per
 * subject, printing a result line per subject and a summary. Ctrl-C stops
 * after the current subject (exit code 130); a second Ctrl-C stops at once.
 * Removal is idempotent, so running the file again finishes the job and
 * reports zero counts for the subjects already done. A refused key or an
 * unreachable server stops the run; other failures are reported per subject.
 */
export async function removeSubjectsFile(
  context: CommandContext,
  path: string,
  requestFor: (subject: string) => RemoveSessionsRequest,
  describeRemoval: (request: RemoveSessionsRequest) => string[],
  describeCounts: (counts: Counts) => string,
): Promise<number> {
  const subjects = await readSubjectsFile(path);
  const json = flag(context, "json");
  if (!flag(context, "yes")) {
    context.stderr.write(`This ends the sessions of ${plural(subjects.length, "subject")} listed in ${path}:\n${describeRemoval(requestFor("")).join("\n")}\n`);
  }
  if (!(await confirm(context, "Go ahead?"))) {
    context.stderr.write("Nothing was changed.\n");
    return ExitCode.failure;
  }
  let stopping = false;
  const onInterrupt = () => {
    if (stopping) process.exit(ExitCode.interrupted);
    stopping = true;
    bar.clear();
    context.stderr.write("Stopping after the current subject (Ctrl-C again to stop at once)...\n");
  };
  const bar = progressBar(context.stderr, subjects.length, context.interactive.stderr && !json);
  const totals = { sessionsRemoved: 0, tokensRevoked: 0, consentsRevoked: 0, notificationsQueued: 0 };
  let done = 0;
  let failed = 0;
  let fatal: unknown;
  process.on("SIGINT", onInterrupt);
  try {
    bar.update(0);
    for (const subject of subjects) {
      if (stopping) break;
      let line: string;
      try {
        const outcome = await context.services().sessions.removeSessions(requestFor(subject));
        for (const key of Object.keys(totals) as (keyof Counts)[]) totals[key] += outcome[key];
        line = json ? JSON.stringify({ subject, ...countsOf(outcome), sessionIds: outcome.sessionIds }) : `${subject}: ${describeCounts(outcome)}`;
      } catch (error) {
        if (isFatal(error)) {
          fatal = error;
          break;
        }
        failed++;
        const { message } = describeFailure(error, context.address);
        line = json ? JSON.stringify({ subject, error: message }) : `${subject}: failed: ${message}`;
      }
      done++;
      bar.clear();
      context.stdout.write(`${line}\n`);
      bar.update(done);
    }
  } finally {
    process.off("SIGINT", onInterrupt);
    bar.clear();
  }
  const interrupted = stopping && done < subjects.length;
  if (json) {
    context.stdout.write(`${JSON.stringify({ summary: { subjects: subjects.length, processed: done, failed, interrupted, ...totals } })}\n`);
  } else {
    const failures = failed > 0 ? `, ${failed} failed` : "";
    context.stdout.write(`summary: ${done} of ${plural(subjects.length, "subject")} processed${failures}; ${describeCounts(totals)}\n`);
  }
  if (fatal !== undefined) throw fatal;
  if (interrupted) {
    context.stderr.write(`Interrupted: ${subjects.length - done} subjects not processed; run the same file again to finish.\n`);
    return ExitCode.interrupted;
  }
  return failed > 0 ? ExitCode.failure : ExitCode.ok;
}

function countsOf(counts: Counts): Counts {
  const { sessionsRemoved, tokensRevoked, consentsRevoked, notificationsQueued } = counts;
  return { sessionsRemoved, tokensRevoked, consentsRevoked, notificationsQueued };
}
