/**
 * Reads the fenced code blocks of a Markdown document as the README test
 * runs them. A block is run when its language is a shell (`sh`, `bash`,
 * `shell`) or TypeScript (`ts`); an HTML comment on the line before the fence
 * changes how:
 *
 *     <!-- readme-test: skip: why -->       not run, and counted as skipped
 *     <!-- readme-test: server -->          run in the background until the next server or the end
 *     <!-- readme-test: server, alongside -->  the same, without stopping the servers before it
 *     <!-- readme-test: installed -->       run without its leading `npm ci &&`: the test runs on an installed checkout
 *     <!-- readme-test: needs mariadb -->   skipped (counted) when no MariaDB answers, outside CI
 *
 * `server` and `needs mariadb` combine: `<!-- readme-test: server, needs mariadb -->`.
 * A `text` block right after a run block (only blank lines between) is the
 * output that block shows: each of its lines must appear in the output, in
 * order, with `…` standing for anything and runs of spaces for any spacing.
 * A server is ready when it has shown that output, or without one when the
 * service's readiness probe answers.
 */

/** One fenced block of the document. */
export interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  text: string;
  /** The readme-test directive before the fence, if any. */
  directive?: Directive;
  /** The `text` block that follows, when this block is run. */
  expected?: string;
}

/** What the comment before a fence asks for. */
export interface Directive {
  /** Why the block is not run, when it is not. */
  skip?: string;
  server: boolean;
  /** A server that runs beside the ones started before it. */
  alongside: boolean;
  /** Run without a leading `npm ci &&`, as the checkout is installed already. */
  installed: boolean;
  needsMariadb: boolean;
}

const runLanguages = new Set(["sh", "bash", "shell", "ts"]);

/** Whether the test runs blocks of this language. */
export function isRunnable(block: Block): boolean {
  return runLanguages.has(block.language);
}

/**
 * What the test runs for a shell block: its text, less the leading
 * `npm ci &&` of an `installed` block (which must have one).
 */
export function commandText(block: Block): string {
  if (block.directive?.installed !== true) return block.text;
  const install = /^npm ci\s*&&\s*/;
  if (!install.test(block.text)) throw new Error(`line ${block.line}: an "installed" block starts with "npm ci &&"`);
  return block.text.replace(install, "");
}

/** Every fenced block in document order; a directive that names nothing known is an error. */
export function readBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})\s*([\w-]*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^${indent}${fence}\\s*$`).test(lines[j]!); j++) body.push(lines[j]!.slice(indent!.length));
    if (j === lines.length) throw new Error(`line ${i + 1}: the block is never closed`);
    const comment = /^\s*<!--\s*readme-test:\s*(.*?)\s*-->\s*$/.exec(lines[i - 1] ?? "");
    blocks.push({ line: i + 1, language: language!, text: body.join("\n"), directive: comment ? directive(comment[1]!, i) : undefined });
    i = j;
  }
  // A text block right after a run block shows its output.
  for (let b = 1; b < blocks.length; b++) {
    const [before, block] = [blocks[b - 1]!, blocks[b]!];
    if (block.language !== "text" || !isRunnable(before)) continue;
    const between = lines.slice(before.line + before.text.split("\n").length + 1, block.line - 1);
    if (between.every((l) => l.trim() === "")) before.expected = block.text;
  }
  return blocks;
}

function directive(text: string, index: number): Directive {
  const skip = /^skip:\s*(.+)$/.exec(text);
  if (skip) return { skip: skip[1]!, server: false, alongside: false, installed: false, needsMariadb: false };
  const words = text.split(",").map((w) => w.trim());
  const unknown = words.find((w) => !["server", "alongside", "installed", "needs mariadb"].includes(w));
  if (unknown !== undefined) throw new Error(`line ${index}: unknown readme-test directive "${unknown}"`);
  if (words.includes("alongside") && !words.includes("server")) throw new Error(`line ${index}: "alongside" is for servers`);
  return {
    server: words.includes("server"),
    alongside: words.includes("alongside"),
    installed: words.includes("installed"),
    needsMariadb: words.includes("needs mariadb"),
  };
}

/**
 * Checks that every line of `expected` appears in `output`, in order; returns
 * the first line that does not, or undefined when all do.
 */
export function missingLine(expected: string, output: string): string | undefined {
  let from = 0;
  for (const line of expected.split("\n").map((l) => l.trim())) {
    if (line === "") continue;
    const pattern = line
      .split("…")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"))
      .join(".*?");
    const match = new RegExp(pattern).exec(output.slice(from));
    if (!match) return line;
    from += match.index + match[0].length;
  }
  return undefined;
}
