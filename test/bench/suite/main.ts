import { dropDataset, ensureDataset, type Dataset } from "./datasets.js";
import { describeMachine } from "./machine.js";
import { openPool } from "./mysql.js";
import { readSuiteOptions } from "./options.js";
import { compare, markdown, writeReport, type RunRecord } from "./report.js";
import { runDataset } from "./run-dataset.js";
import { checkTargets, targetsMarkdown } from "./targets.js";
import { checkCpuTargets } from "./cpu-targets.js";
import { cpuHistoryMarkdown, readEarlierRun } from "./cpu-history.js";

/** Runs the suite; progress goes to stderr, the table to stdout. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const options = readSuiteOptions(argv);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const admin = openPool(options.mysqlUrl, 2);
  const runs: RunRecord[] = [];
  const datasets: (Omit<Dataset, "url"> & { dropped: boolean })[] = [];
  const notes: string[] = [];
  try {
    const earlier = readEarlierRun(options.outDir, options.baseline);
    const machine = await describeMachine(admin, argv);
    for (const size of options.sizes) {
      const dataset = await ensureDataset(admin, options.mysqlUrl, size, { throwaway: options.quick, seedConnections: options.seedConnections, say });
      try {
        runs.push(...(await runDataset(dataset, options, admin, say)));
      } finally {
        const drop = dataset.created && options.dropAfter;
        if (drop) await dropDataset(admin, dataset);
        const { url: _url, ...described } = dataset;
        datasets.push({ ...described, dropped: drop });
        if (!dataset.writable) notes.push(`${dataset.name} was not created by the suite: write scenarios were skipped on it.`);
      }
    }
    const comparisons = compare(runs);
    const targets = [...checkTargets(comparisons), ...checkCpuTargets(comparisons)];
    const tables = [markdown(comparisons, machine, notes), cpuHistoryMarkdown(comparisons, earlier), targetsMarkdown(targets)].filter((t) => t !== "").join("\n\n");
    process.stdout.write(`${tables}\n`);
    const path = writeReport(options.outDir, { machine, options: { ...options, argv: undefined }, datasets, notes, runs, comparisons, targets }, tables);
    say(`report: ${path} and ${path.replace(/\.json$/, ".md")}`);
    return 0;
  } catch (error) {
    say(`bench failed: ${(error as Error).stack ?? String(error)}`);
    return 1;
  } finally {
    await admin.end();
  }
}
