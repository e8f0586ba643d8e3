import { commonOptions, groups } from "./args.js";
import type { Command, OptionSpec } from "./command.js";

const exitCodes = [
  "Exit codes: 0 ok, 1 failure, 2 usage error, 3 key refused or permission missing,",
  "4 not found, 5 server unreachable, 130 interrupted.",
];

/** The help text for the whole tool, a group, or one command. */
export function helpText(commands: readonly Command[], group?: string, command?: Command): string {
  if (command !== undefined) {
    return [
      `Usage: sessionctl ${command.group} ${command.name}${command.usage ? ` ${command.usage}` : ""} [options]`,
      "",
      command.summary,
      ...(command.details !== undefined ? ["", ...command.details] : []),
      "",
      "Options:",
      ...optionLines(command.options),
      "",
      "Connection:",
      ...optionLines(commonOptions),
      "",
      ...exitCodes,
    ].join("\n");
  }
  const shown = group === undefined ? commands : commands.filter((c) => c.group === group);
  const width = Math.max(...shown.map((c) => `${c.group} ${c.name}`.length));
  return [
    `Usage: sessionctl ${group ?? "<group>"} <command> [options]`,
    "",
    "Operates a session management server through its public gRPC API.",
    "",
    "Commands:",
    ...shown.map((c) => `  ${`${c.group} ${c.name}`.padEnd(width)}  ${c.summary}`),
    "",
    "Connection:",
    ...optionLines(commonOptions),
    "",
    `Run \`sessionctl ${group ?? "<group>"} <command> --help\` for a command's options.`,
    ...exitCodes,
    ...(group === undefined ? [`Groups: ${groups(commands).join(", ")}.`] : []),
  ].join("\n");
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const heads = Object.entries(options).map(([name, spec]) => `${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.type === "string" ? ` ${spec.value ?? "VALUE"}` : ""}`);
  const width = Math.max(0, ...heads.map((h) => h.length));
  return Object.values(options).map((spec, i) => `  ${heads[i]!.padEnd(width)}  ${spec.description}${spec.multiple ? " (repeatable)" : ""}`);
}
