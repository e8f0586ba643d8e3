/**
 * Ends the process quietly with exit code 0 when the reader of one of
 * `streams` goes away (EPIPE), as in `sessionctl sessions list | head -1`:
 * the reader has what it wanted, so there is nothing to report, and exit code
 * 0 keeps scripts run with `set -o pipefail` going (tools that SIGPIPE stops
 * end with 141 instead). Any other write error still fails loudly.
 */
export function exitQuietlyOnBrokenPipe(streams: readonly NodeJS.WritableStream[], exit: (code: number) => void = process.exit): void {
  for (const stream of streams) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      exit(0);
    });
  }
}
