import { parseInvocation } from "./args.js";
import type { CommandContext } from "./command.js";
import { commands } from "./commands.js";
import { connect, connectionSettings, defaultAddress, type Services } from "./connection.js";
import { describeFailure, ExitCode } from "./errors.js";
import { helpText } from "./help.js";

/** The process streams and environment sessionctl runs with. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  interactive: { stdin: boolean; stderr: boolean };
}

/** The streams and environment of this process. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interactive: { stdin: process.stdin.isTTY === true, stderr: process.stderr.isTTY === true },
  };
}

/** Runs one sessionctl command line; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let address = io.env.SESSIONCTL_ADDRESS || defaultAddress;
  try {
    const invocation = parseInvocation(argv, commands);
    if (invocation.kind === "help") {
      io.stdout.write(`${helpText(commands, invocation.group, invocation.command)}\n`);
      return ExitCode.ok;
    }
    const settings = connectionSettings(invocation.values, io.env);
    address = settings.address;
    let services: Services | undefined;
    const context: CommandContext = {
      values: invocation.values,
      args: invocation.args,
      services: () => (services ??= connect(settings)),
      address,
      stdout: io.stdout,
      stderr: io.stderr,
      stdin: io.stdin,
      interactive: io.interactive,
    };
    return await invocation.command.run(context);
  } catch (error) {
    const { message, exitCode } = describeFailure(error, address);
    io.stderr.write(`sessionctl: ${message}\n`);
    return exitCode;
  }
}
