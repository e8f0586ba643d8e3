import { parseArgs } from "node:util";

/** How an option's text becomes its value. */
export type OptionKind = "string" | "integer" | "boolean" | "secret";

/** One command-line flag, optionally backed by an environment variable. */
export interface OptionSpec<K extends string = string> {
  flag: string;
  env?: string;
  kind: OptionKind;
  key: K;
  defaultValue?: string;
  description: string;
  min?: number;
  max?: number;
  oneOf?: readonly string[];
}

/** Parsed values, the --help text, or an error naming the flag. */
export type OptionsResult<T> = { values: T } | { help: string } | { error: string };

/**
 * Reads options from command-line flags, then environment variables, then
 * defaults. An empty environment variable (VAR=) counts as unset, as in most
 * deployment tools. Errors start with the flag and its variable. A boolean
 * flag may stand alone (true), be negated as --no-<flag> (false) or take a
 * value (--flag=false, --flag false).
 */
export function parseOptions<T>(
  specs: readonly OptionSpec[],
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  header: readonly string[],
): OptionsResult<T> {
  const help = () => usageText(specs, header);
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({
      args: withBooleanValues(specs, argv),
      options: {
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(specs.map((o) => [o.flag, { type: "string" as const }])),
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { error: `${(error as Error).message}\n\n${help()}` };
  }
  if (flags.help === true) return { help: help() };

  const values: Record<string, unknown> = {};
  for (const spec of specs) {
    const fromEnv = spec.env === undefined || env[spec.env] === "" ? undefined : env[spec.env];
    const raw = (flags[spec.flag] as string | undefined) ?? fromEnv ?? spec.defaultValue;
    if (raw === undefined) continue;
    const parsed = parseValue(spec, raw);
    if ("error" in parsed) return { error: `${optionName(spec)}: ${parsed.error}` };
    values[spec.key] = parsed.value;
  }
  return { values: values as T };
}

/**
 * Gives every boolean flag an explicit value, so that the parser, which reads
 * all options as strings, sees `--flag=value`: a bare `--flag` is true,
 * `--no-flag` false, and `--flag word` keeps its word (no positional arguments
 * are accepted, so a following word can only be the flag's value).
 */
function withBooleanValues(specs: readonly OptionSpec[], argv: readonly string[]): string[] {
  const kinds = new Map(specs.map((spec) => [spec.flag, spec.kind]));
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = /^--[^=]+$/.test(arg) ? arg.slice(2) : undefined;
    if (arg === "--") {
      args.push(...argv.slice(i));
      break;
    } else if (name !== undefined && kinds.get(name) === "boolean") {
      const next = argv[i + 1];
      const takesNext = next !== undefined && !next.startsWith("-");
      args.push(`--${name}=${takesNext ? next : "true"}`);
      if (takesNext) i++;
    } else if (name?.startsWith("no-") && kinds.get(name.slice(3)) === "boolean" && !kinds.has(name)) {
      args.push(`--${name.slice(3)}=false`);
    } else {
      args.push(arg);
    }
  }
  return args;
}

/** `--flag (ENV)`, as errors name an option. */
export function optionName(spec: Pick<OptionSpec, "flag" | "env">): string {
  return spec.env === undefined ? `--${spec.flag}` : `--${spec.flag} (${spec.env})`;
}

function parseValue(spec: OptionSpec, raw: string): { value: unknown } | { error: string } {
  switch (spec.kind) {
    case "integer": {
      if (!/^\d+$/.test(raw.trim())) return { error: `expected a whole number, got "${raw}"` };
      const value = Number(raw);
      if (!Number.isSafeInteger(value) || value < (spec.min ?? 0)) return { error: `must be at least ${spec.min ?? 0}` };
      if (spec.max !== undefined && value > spec.max) return { error: `must be at most ${spec.max}` };
      return { value };
    }
    case "boolean":
      if (/^(true|1|yes|on)$/i.test(raw)) return { value: true };
      if (/^(false|0|no|off)$/i.test(raw)) return { value: false };
      return { error: `expected true or false, got "${raw}"` };
    case "secret":
      if (raw.length < 32) return { error: "must be at least 32 characters" };
      return { value: Buffer.from(raw, "utf8") };
    case "string":
      if (raw === "") return { error: "must not be empty" };
      if (spec.oneOf) {
        // Any case is accepted; the value is spelled as the option lists it.
        const value = spec.oneOf.find((choice) => choice.toLowerCase() === raw.toLowerCase());
        return value !== undefined ? { value } : { error: `expected one of ${spec.oneOf.join(", ")}` };
      }
      return { value: raw };
  }
}

/** The --help text: the header, then every flag with its variable, description and default. */
export function usageText(specs: readonly OptionSpec[], header: readonly string[]): string {
  const lines = specs.map((o) => {
    // The trailing space keeps a name of 36 characters or more apart from what follows.
    const name = o.kind === "boolean" ? `  --${o.flag}[=<bool>] ` : `  --${o.flag} <${o.kind === "integer" ? "n" : "value"}> `;
    const fallback = o.defaultValue === undefined ? "" : ` (default: ${o.defaultValue})`;
    return o.env === undefined
      ? `${name.padEnd(36)}${o.description}${fallback}`
      : `${name.padEnd(36)}${o.env}\n${" ".repeat(36)}${o.description}${fallback}`;
  });
  const example = specs.find((o) => o.kind === "boolean")?.flag;
  const switches =
    example === undefined
      ? []
      : ["", `A <bool> option alone means true: --${example}; false is --no-${example} or --${example}=false.`, "Values: true/false, yes/no, on/off, 1/0."];
  return [...header, ...switches, "", ...lines, "  -h, --help                        show this help"].join("\n");
}
