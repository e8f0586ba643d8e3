import { parseArgs } from "node:util";
import type { Command, OptionSpec } from "./command.js";
import { connectionOptions } from "./connection.js";
import { UsageError } from "./errors.js";

/** What the command line asks for. */
export type Invocation =
  | { kind: "help"; group?: string; command?: Command }
  | { kind: "run"; command: Command; values: Record<string, string | boolean | string[] | boolean[] | undefined>; args: string[] };

/** Flags every command accepts. */
export const commonOptions: Record<string, OptionSpec> = {
  ...connectionOptions,
  help: { type: "boolean", description: "show help" },
};

const valueFlags = new Set(Object.entries(commonOptions).filter(([, spec]) => spec.type === "string").map(([name]) => `--${name}`));

/**
 * Finds the command (its group and name are the first two words that are not
 * flags) and parses its flags; throws UsageError for anything it cannot read.
 */
export function parseInvocation(argv: readonly string[], commands: readonly Command[]): Invocation {
  const words: number[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const token = argv[i]!;
    if (token === "--") break;
    if (valueFlags.has(token)) i++;
    else if (!token.startsWith("-")) words.push(i);
  }
  const [group, name] = words.map((i) => argv[i]!);
  const wantsHelp = argv.includes("--help") || argv.includes("-h");
  if (group === undefined) {
    if (wantsHelp || argv.length === 0) return { kind: "help" };
    throw new UsageError("name a command, e.g. `sessionctl sessions list`");
  }
  if (!commands.some((c) => c.group === group)) throw new UsageError(`unknown command group "${group}"; expected one of ${groups(commands).join(", ")}`);
  if (name === undefined) {
    if (wantsHelp) return { kind: "help", group };
    throw new UsageError(`name a ${group} command: ${commandsOf(commands, group).join(", ")}`);
  }
  const command = commands.find((c) => c.group === group && c.name === name);
  if (command === undefined) throw new UsageError(`unknown command "${group} ${name}"; expected one of ${commandsOf(commands, group).join(", ")}`);
  if (wantsHelp) return { kind: "help", group, command };
  const rest = argv.filter((_, i) => !words.includes(i));
  const specs = { ...commonOptions, ...command.options };
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.entries(specs).map(([flag, spec]) => [flag, { type: spec.type, multiple: spec.multiple ?? false, ...(spec.short ? { short: spec.short } : {}) }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  return { kind: "run", command, values: parsed.values as Record<string, string | boolean | string[] | boolean[] | undefined>, args: parsed.positionals };
}

/** The command groups, in the order they are registered. */
export function groups(commands: readonly Command[]): string[] {
  return [...new Set(commands.map((c) => c.group))];
}

function commandsOf(commands: readonly Command[], group: string): string[] {
  return commands.filter((c) => c.group === group).map((c) => c.name);
}
