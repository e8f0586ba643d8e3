import type { LookupAddress, LookupAllOptions } from "node:dns";
import type { ResolveAll } from "./guarded-lookup.js";

type Callback = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;

/**
 * Limits the system's name lookups (dns.lookup runs getaddrinfo on libuv's
 * small thread pool, which signing and file access share, and a lookup that
 * was started cannot be cancelled: it ends when the resolver gives up, and
 * keeps the process alive until then). Concurrent lookups of one name share a
 * single system lookup, and at most `maxInFlight` run at once; the others
 * wait here, in order. So relying parties whose DNS does not answer tie up
 * at most `maxInFlight` threads however often their notifications are tried.
 */
export function sharedLookup(resolve: ResolveAll, maxInFlight: number): ResolveAll {
  const waiting = new Map<string, { hostname: string; options: LookupAllOptions; callbacks: Callback[] }>();
  const running = new Map<string, Callback[]>();

  const startNext = () => {
    for (const [key, lookup] of waiting) {
      if (running.size >= maxInFlight) return;
      waiting.delete(key);
      running.set(key, lookup.callbacks);
      resolve(lookup.hostname, lookup.options, (error, addresses) => {
        const callbacks = running.get(key) ?? [];
        running.delete(key);
        startNext();
        for (const callback of callbacks) callback(error, addresses);
      });
    }
  };

  return (hostname, options, callback) => {
    const key = `${hostname}\u0000${options.family ?? 0}\u0000${options.hints ?? 0}\u0000${options.order ?? options.verbatim ?? ""}`;
    const joined = running.get(key) ?? waiting.get(key)?.callbacks;
    if (joined !== undefined) return void joined.push(callback);
    waiting.set(key, { hostname, options, callbacks: [callback] });
    startNext();
  };
}
