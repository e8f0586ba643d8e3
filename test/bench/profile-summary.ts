/**
 * Where a server's CPU went: reads a V8 CPU profile (npm run bench --
 * --server-cpu-prof DIR writes one per server process) and prints the share
 * of busy time spent in each part of the stack (Connect, Node's HTTP/2,
 * protobuf, mysql2, TypeORM, this project's files, garbage collection...),
 * counting only samples from the first RPC on, so that start-up is left out.
 *
 *   npm run bench:profile -- /tmp/prof/CPU.….cpuprofile [rows]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const parts: [RegExp, string][] = [
  [/@connectrpc\/connect-node/, "connect-node (Node adapter)"],
  [/@connectrpc\/connect/, "connect (protocol, handlers, async iterables)"],
  [/@bufbuild\/protobuf/, "protobuf encoding"],
  [/node_modules\/mysql2\//, "mysql2"],
  [/node_modules\/typeorm\//, "TypeORM"],
  [/prom-client/, "prom-client"],
  [/pino|sonic-boom/, "pino"],
  [/deps\/undici/, "WHATWG Headers (undici)"],
  [/http2\//, "Node HTTP/2 (core and compatibility layer)"],
  [/streams\/|stream_base|node:net/, "Node streams and sockets"],
  [/async_hooks|async_local_storage/, "AsyncLocalStorage (promise hooks)"],
  [/abort_controller|event_target|domexception/, "AbortSignal, EventTarget, DOMException"],
  [/task_queues|timers/, "microtask and timer queues"],
  [/\/src\//, "this project's code"],
];

function partOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === "(garbage collector)") return "garbage collection";
  if (url === "") return `native: ${functionName}`;
  const file = /\/src\/(.*)$/.exec(url)?.[1];
  for (const [pattern, name] of parts) if (pattern.test(url)) return name === "this project's code" ? `src/${file}` : name;
  return `node: ${url.replace(/^node:(internal\/)?/, "")}`;
}

const [file, rows = "25"] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: npm run bench:profile -- <file.cpuprofile> [rows]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const servesRpc = (id: number) => {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (byId.get(at)!.callFrame.functionName === "sessionOnStream") return true;
  return false;
};
const first = Math.max(0, profile.samples.findIndex(servesRpc));
const time = new Map<string, number>();
let busy = 0;
for (let i = first; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]!)!;
  if (node.callFrame.functionName === "(idle)") continue;
  const us = profile.timeDeltas[i] ?? 0;
  busy += us;
  const part = partOf(node);
  time.set(part, (time.get(part) ?? 0) + us);
}
process.stdout.write(`busy ${(busy / 1000).toFixed(0)} ms from the first RPC on; self time by part:\n`);
for (const [part, us] of [...time].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
  process.stdout.write(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${part}\n`);
}
