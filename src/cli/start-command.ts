import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const checkout = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The arguments `npm start` gives node (package.json's start script:
 * `exec node <flags> --import tsx src/cli/serve.ts`), with tsx and the entry
 * point made absolute, so that whoever starts the server as a child process
 * (the demo, tests, benchmarks) runs it exactly as operators do, from any
 * working directory. `root` is the checkout whose start script is read.
 */
export function startCommandArgs(root: string = checkout): string[] {
  const script: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.start;
  // `exec`: the shell npm runs the script with becomes node, so npm's signals reach the server.
  const [command, ...args] = script.trim().replace(/^exec\s+/, "").split(/\s+/);
  if (command !== "node") throw new Error(`the start script must run node directly, not ${command}`);
  return args.map((arg, i) => {
    if (args[i - 1] === "--import" && arg === "tsx") return import.meta.resolve("tsx");
    if (arg.endsWith(".ts")) return join(root, arg);
    return arg;
  });
}
