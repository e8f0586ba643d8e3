import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got. */
export interface ReceivedRequest {
  path: string;
  /** The path with its query string. */
  url: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The `logout_token` form field. */
  token?: string;
  /** When it arrived (Date.now()). */
  at: number;
}

/** How a receiver answers: a status (with headers and body), or no answer at all until the client gives up. */
export type ReceiverAnswer = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | "hang";

/** A relying party's back-channel logout endpoint, on loopback. */
export interface LogoutReceiver {
  readonly port: number;
  /** `http://127.0.0.1:<port><path>` */
  url(path: string): string;
  /** Every request so far, in arrival order. */
  readonly received: ReceivedRequest[];
  /** Requests to this path so far. */
  to(path: string): ReceivedRequest[];
  /** Requests whose answer has not been sent yet. */
  open(): number;
  /** The most requests that were open at once. */
  maxOpen(): number;
  /** Answers requests to `path` with `answer(n)`, n counting that path's requests from 1; 200 by default. */
  on(path: string, answer: (n: number, request: ReceivedRequest) => ReceiverAnswer): void;
  /** Resolves once `count` requests matching `predicate` have arrived. */
  waitFor(count: number, predicate?: (request: ReceivedRequest) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 and a free port. */
export async function startReceiver(): Promise<LogoutReceiver> {
  const received: ReceivedRequest[] = [];
  const answers = new Map<string, (n: number, request: ReceivedRequest) => ReceiverAnswer>();
  const waiters = new Set<() => void>();
  let open = 0;
  let maxOpen = 0;

  const server = http.createServer((request, response) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    response.once("close", () => open--);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const entry: ReceivedRequest = {
        path: url.pathname,
        url: request.url ?? "/",
        method: request.method ?? "",
        headers: request.headers,
        body,
        token: new URLSearchParams(body).get("logout_token") ?? undefined,
        at: Date.now(),
      };
      received.push(entry);
      const n = received.filter((r) => r.path === entry.path).length;
      for (const wake of waiters) wake();
      const answer = answers.get(entry.path)?.(n, entry) ?? { status: 200 };
      if (answer === "hang") return;
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body ?? "");
      };
      if (answer.delayMs === undefined) send();
      else setTimeout(send, answer.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    to: (path) => received.filter((r) => r.path === path),
    open: () => open,
    maxOpen: () => maxOpen,
    on(path, answer) {
      answers.set(path, answer);
    },
    async waitFor(count, predicate = () => true, timeoutMs = 30_000) {
      const enough = () => received.filter(predicate).length >= count;
      if (enough()) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} requests within ${timeoutMs} ms, got ${received.filter(predicate).length}`));
        }, timeoutMs);
        const check = () => {
          if (!enough()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
