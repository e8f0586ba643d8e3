import { createInterface } from "node:readline";
import type { CommandContext } from "./command.js";
import { flag } from "./command.js";
import { CliError, ExitCode } from "./errors.js";

/**
 * Asks the operator to confirm a change. --yes confirms without asking; on a
 * terminal the operator must answer "y" or "yes"; without a terminal nothing
 * can be asked, so the change is refused unless --yes is given.
 */
export async function confirm(context: CommandContext, question: string): Promise<boolean> {
  if (flag(context, "yes")) return true;
  if (!context.interactive.stdin) {
    throw new CliError("refusing to change anything without confirmation: not a terminal, pass --yes to confirm", ExitCode.usage);
  }
  const readline = createInterface({ input: context.stdin, output: context.stderr });
  try {
    const answer = await new Promise<string>((resolve) => {
      readline.question(`${question} [y/N] `, resolve);
      readline.once("close", () => resolve(""));
    });
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    readline.close();
  }
}

/** The --yes flag of commands that change things. */
export const yesOption = { yes: { type: "boolean", description: "do not ask for confirmation" } } as const;
