import type { CommandContext } from "./command.js";
import { flag, stringValue } from "./command.js";
import { UsageError } from "./errors.js";

/** The paging flags of every list command. */
export const pagingOptions = {
  limit: { type: "string", value: "N", description: "rows per page (default 25; with --all 500; at most 1000)" },
  all: { type: "boolean", description: "walk every page instead of showing the first" },
  json: { type: "boolean", description: "print one JSON object per line instead of a table" },
} as const;

/** One page as the list methods return it. */
export interface Page<T> {
  results: T[];
  resultsToken: string;
  hasNextResults: boolean;
}

/** What a walk returned. */
export interface Walk<T> {
  rows: T[];
  /** True when rows exist beyond the ones returned (no --all). */
  more: boolean;
}

/**
 * Fetches the first page, or with --all every page, passing each page's
 * token back with the same filter and page size as the API requires.
 */
export async function walkPages<T>(context: CommandContext, fetch: (countRequested: number, resultsToken: string) => Promise<Page<T>>): Promise<Walk<T>> {
  const all = flag(context, "all");
  const limitText = stringValue(context, "limit");
  let pageSize = all ? 500 : 25;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000) throw new UsageError("--limit: must be a whole number from 1 to 1000");
    pageSize = Number(limitText);
  }
  const rows: T[] = [];
  let page = await fetch(pageSize, "");
  rows.push(...page.results);
  while (all && page.hasNextResults && page.resultsToken !== "") {
    page = await fetch(pageSize, page.resultsToken);
    rows.push(...page.results);
  }
  return { rows, more: !all && page.hasNextResults };
}

/** Tells a human reader (on stderr, so scripts are not disturbed) that more rows exist. */
export function noteMore(context: CommandContext, walk: Walk<unknown>, total?: number): void {
  if (!walk.more) return;
  const shown = total === undefined ? "" : `showing ${walk.rows.length} of ${total}; `;
  context.stderr.write(`(${shown}more results: use --all, or a larger --limit)\n`);
}
