import type { OptionsResult } from "../server/options.js";

/**
 * Handles the outcomes of option parsing every command shares: prints --help
 * (exit code 0) or the error (exit code 2) and returns the exit code, or
 * returns the parsed values to go on with.
 */
export function optionsOrExitCode<T>(result: OptionsResult<T> | { config: T }): { values: T } | { exitCode: number } {
  if ("help" in result) {
    process.stdout.write(`${result.help}\n`);
    return { exitCode: 0 };
  }
  if ("error" in result) {
    process.stderr.write(`${result.error}\n`);
    return { exitCode: 2 };
  }
  return { values: "config" in result ? result.config : result.values };
}
