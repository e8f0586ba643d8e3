import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import type { AddressPolicy } from "../domain/special-use-address.js";
import { guardedLookup, refusedAddressCode, type ResolveAll } from "./guarded-lookup.js";
import { sharedLookup } from "./shared-lookup.js";

/** What a POST of a logout token came back with. */
export type PostResult =
  | { statusCode: number; retryAfter?: string; body: string }
  /** No answer: `final` when trying again cannot help (a bad URL, a refused address). */
  | { error: string; final: boolean };

/** POSTs logout tokens to relying parties. */
export interface LogoutPoster {
  /**
   * POSTs `logout_token=<token>` to the URL and returns the answer, or the
   * error, within the timeout. Aborting `signal` abandons the request and
   * rejects with the abort reason.
   */
  post(url: string, token: string, signal?: AbortSignal): Promise<PostResult>;
  /** Closes idle connections. */
  close(): void;
}

/** How requests are made. */
export interface LogoutPosterOptions {
  policy: AddressPolicy;
  /** The whole attempt (connect, send, answer) must finish within this. */
  timeoutMs: number;
  /** Connections kept to one destination (scheme, host and port). */
  maxSocketsPerDestination: number;
  /** Host name resolution; the system's (dns.lookup) by default. */
  resolve?: ResolveAll;
}

// Enough for a status line's worth of explanation; the rest is not read.
const maxBodyBytes = 4096;
// Idle connections close before the 5 s after which Node's HTTP servers (and
// many others) close them, so a request rarely goes out on a dying socket.
const idleSocketMs = 4000;
const userAgent = "session-management back-channel logout";
// System name lookups at once: libuv's thread pool has four threads by
// default, and signing and file access need some too.
const maxSystemLookups = 2;

/**
 * The HTTP client of the notifier: an application/x-www-form-urlencoded POST
 * with no cookies or credentials, redirects never followed, at most a few KB
 * of the answer read, connections kept alive per destination, and
 * special-use addresses refused (see guarded-lookup.ts).
 */
export function createLogoutPoster(options: LogoutPosterOptions): LogoutPoster {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerDestination, timeout: idleSocketMs };
  const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };
  const lookup = guardedLookup(options.policy, sharedLookup(options.resolve ?? dnsLookup, maxSystemLookups));

  return {
    post(url, token, signal) {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return Promise.resolve({ error: "the back-channel logout URI is not a valid URL", final: true });
      }
      if (target.protocol !== "http:" && target.protocol !== "https:") {
        return Promise.resolve({ error: `the back-channel logout URI has the unsupported scheme ${target.protocol}`, final: true });
      }
      if (target.username !== "" || target.password !== "") {
        return Promise.resolve({ error: "the back-channel logout URI carries credentials", final: true });
      }
      // The lookup is skipped for IP literals: check them here.
      const literal = target.hostname.replace(/^\[(.*)\]$/, "$1");
      const refusal = isIP(literal) === 0 ? undefined : options.policy.refusal(literal);
      if (refusal !== undefined) return Promise.resolve({ error: `refused to connect to ${literal}: ${refusal} address`, final: true });
      return send(target, token, agents[target.protocol], lookup, options.timeoutMs, signal);
    },
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}

function send(
  target: URL,
  token: string,
  agent: http.Agent,
  lookup: ReturnType<typeof guardedLookup>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<PostResult> {
  const body = new URLSearchParams({ logout_token: token }).toString();
  return new Promise((resolve, reject) => {
    const request = (target.protocol === "https:" ? https : http).request(target, {
      method: "POST",
      agent,
      lookup,
      signal,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": Buffer.byteLength(body),
        "user-agent": userAgent,
      },
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })), timeoutMs);
    const finish = (result: PostResult) => {
      clearTimeout(timer);
      resolve(result);
    };
    request.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (signal?.aborted) return reject(signal.reason);
      finish({ error: describeError(error), final: error.code === refusedAddressCode });
    });
    request.once("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const text = Buffer.concat(chunks).subarray(0, maxBodyBytes).toString("utf8");
        const retryAfter = response.headers["retry-after"];
        finish({ statusCode: response.statusCode ?? 0, body: text, ...(retryAfter === undefined ? {} : { retryAfter }) });
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxBodyBytes) {
          // The status is what matters: stop reading, drop the connection.
          response.destroy();
          done();
        }
      });
      response.once("end", done);
      response.on("error", done);
    });
    request.end(body);
  });
}

function describeError(error: NodeJS.ErrnoException): string {
  if (error.code === refusedAddressCode || error.code === "ETIMEDOUT") return error.message;
  return error.code === undefined ? error.message : `${error.code}: ${error.message}`;
}
