import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { stringValue, type Command, type CommandContext } from "./command.js";
import { CliError, describeFailure, ExitCode, isBrokenConnection, UsageError } from "./errors.js";
import { exportFormats, type ExportFormat } from "./export-format.js";
import { plural } from "./output.js";
import { progressBar } from "./progress.js";
import { filterOptions, readSessionFilter } from "./session-filter.js";

// A broken export is resumed this many times in a row before giving up.
const exportRetries = 3;
const retryDelayMs = 1000;

/** `sessions export`: every matching session, streamed, resumed after a broken connection. */
export const exportSessions: Command = {
  group: "sessions",
  name: "export",
  summary: "write every matching session as NDJSON or CSV (streamed; resumes after a broken connection)",
  usage: "[--format ndjson|csv] [--output FILE]",
  details: [
    "Oldest recorded first. NDJSON is the API's JSON form, one session a line; CSV has",
    "a header and the client ids space-separated. A progress bar shows on a terminal.",
    `A broken connection is resumed where it stopped (${exportRetries} tries in a row).`,
  ],
  options: {
    ...filterOptions,
    format: { type: "string", value: "FORMAT", description: "ndjson (default) or csv" },
    output: { type: "string", short: "o", value: "FILE", description: "write to this file instead of stdout" },
  },
  async run(context) {
    if (context.args.length > 0) throw new UsageError(`unexpected argument "${context.args[0]}"`);
    const formatName = stringValue(context, "format") ?? "ndjson";
    const format = exportFormats[formatName];
    if (format === undefined) throw new UsageError(`--format: must be one of ${Object.keys(exportFormats).join(", ")}`);
    const path = stringValue(context, "output");
    const out = path === undefined ? context.stdout : await openOutput(path);
    try {
      const count = await streamSessions(context, out, format);
      if (path !== undefined) context.stderr.write(`exported ${plural(count, "session")} to ${path}\n`);
    } finally {
      if (path !== undefined) {
        out.end();
        await once(out, "close").catch(() => undefined);
      }
    }
    return ExitCode.ok;
  },
};

async function openOutput(path: string): Promise<NodeJS.WritableStream> {
  const file = createWriteStream(path);
  try {
    await once(file, "open");
  } catch (error) {
    throw new CliError(`--output ${path}: cannot be written: ${(error as Error).message}`, ExitCode.usage);
  }
  return file;
}

/** Writes every batch, resuming from the last batch's token after a broken stream; resolves to the count. */
async function streamSessions(context: CommandContext, out: NodeJS.WritableStream, format: ExportFormat): Promise<number> {
  const filter = readSessionFilter(context, false);
  const total = context.interactive.stderr ? await countMatching(context, filter) : undefined;
  const bar = progressBar(context.stderr, total ?? 0, total !== undefined);
  let resumeToken = "";
  let written = 0;
  let failures = 0;
  await write(out, format.header);
  try {
    for (;;) {
      try {
        for await (const batch of context.services().export.exportSessions({ filter, resumeToken }, { timeoutMs: 0 })) {
          await write(out, batch.sessions.map(format.line).join(""));
          written += batch.sessions.length;
          resumeToken = batch.resumeToken;
          failures = 0;
          bar.update(written);
        }
        return written;
      } catch (error) {
        if (!isBrokenConnection(error) || ++failures > exportRetries) throw error;
        bar.clear();
        context.stderr.write(`the export broke after ${plural(written, "session")} (${describeFailure(error, context.address).message}); resuming...\n`);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * failures));
      }
    }
  } finally {
    bar.clear();
  }
}

/** Writes text, waiting when the reader is behind, so an export of millions holds one batch at a time. */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (text !== "" && !out.write(text)) await once(out, "drain");
}

/** How many sessions match, for the progress bar; undefined when the key may not count. */
async function countMatching(context: CommandContext, filter: { subjectId: string; sessionId: string; displayName: string; clientId: string }): Promise<number | undefined> {
  try {
    const { subjectId, sessionId, displayName, clientId } = filter;
    return (await context.services().sessions.querySessions({ subjectId, sessionId, displayName, clientId, countRequested: 1 })).totalCount;
  } catch {
    return undefined;
  }
}
