/** A one-line progress bar on a terminal; silent elsewhere. */
export interface ProgressBar {
  /** Shows `done` of the total. */
  update(done: number): void;
  /** Removes the bar, e.g. before another line is written or at the end. */
  clear(): void;
}

/** A progress bar on `out` when `enabled` (out is a terminal), else one that writes nothing. */
export function progressBar(out: NodeJS.WritableStream, total: number, enabled: boolean): ProgressBar {
  if (!enabled) return { update() {}, clear() {} };
  const width = 30;
  let shown = false;
  return {
    update(done) {
      // An estimated total can be passed: the bar stays full beyond it.
      const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      out.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${percent}%\x1b[K`);
      shown = true;
    },
    clear() {
      if (shown) out.write("\r\x1b[K");
      shown = false;
    },
  };
}
