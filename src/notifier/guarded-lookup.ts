import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import type { AddressPolicy } from "../domain/special-use-address.js";

/** Resolves a host name to every address it has (dns.lookup with `all: true`). */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** The error code of a connection refused by the address policy. */
export const refusedAddressCode = "EREFUSEDADDRESS";

/**
 * A DNS lookup for outgoing connections that only returns addresses the
 * policy allows, so the check applies to the address actually connected to
 * (a name cannot resolve to an allowed address when checked and to a
 * forbidden one when used, and an AAAA record holding an IPv6 form of a
 * forbidden IPv4 address is refused like that address). Fails with
 * `EREFUSEDADDRESS` when every address is refused.
 */
export function guardedLookup(policy: AddressPolicy, resolve: ResolveAll = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const allowed = addresses.filter((a) => policy.refusal(a.address) === undefined);
      if (allowed.length === 0) {
        const first = addresses[0];
        const refused = Object.assign(
          new Error(`refused to connect to ${hostname} (${first?.address}): ${first ? policy.refusal(first.address) : "no address"} address`),
          { code: refusedAddressCode },
        );
        return callback(refused, "", 0);
      }
      if ((options as LookupOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
