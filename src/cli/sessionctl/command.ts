import type { Services } from "./connection.js";

/** One flag of a command, as --help shows it and the parser reads it. */
export interface OptionSpec {
  type: "string" | "boolean";
  /** May be given more than once; the values are collected. */
  multiple?: boolean;
  /** A one-letter alias, e.g. "f" for -f. */
  short?: string;
  /** The placeholder shown in --help for a string value. */
  value?: string;
  description: string;
}

/** What a running command may use. */
export interface CommandContext {
  /** The parsed flags of the command (and the connection flags). */
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  /** The words after the command's name. */
  args: string[];
  /** The server's services, connected on first use. */
  services(): Services;
  /** The address called, for messages. */
  address: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** Whether stdin and stderr are terminals (prompts, progress). */
  interactive: { stdin: boolean; stderr: boolean };
}

/** A command: `sessionctl <group> <name> …`. */
export interface Command {
  group: string;
  name: string;
  summary: string;
  /** The words after `sessionctl <group> <name>` in the usage line. */
  usage: string;
  options: Record<string, OptionSpec>;
  /** Longer explanation printed by --help. */
  details?: string[];
  /** Runs the command; resolves to its exit code. */
  run(context: CommandContext): Promise<number>;
}

/** Reads a string flag. */
export function stringValue(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === "string" ? value : undefined;
}

/** Reads a boolean flag. */
export function flag(context: CommandContext, name: string): boolean {
  return context.values[name] === true;
}

/** Reads a repeatable string flag. */
export function stringValues(context: CommandContext, name: string): string[] {
  const value = context.values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
