import { BlockList, isIP } from "node:net";

/**
 * Address ranges a logout notification is never sent to unless an operator
 * allows them: addresses that reach this host or its link rather than a
 * relying party (loopback, link-local with the cloud metadata endpoints,
 * unspecified), shared and reserved space, documentation, benchmarking and
 * multicast ranges. Private networks (10/8, 172.16/12, 192.168/16, fc00::/7)
 * are where internal relying parties live and stay allowed, except for the
 * metadata endpoint AWS keeps in them. IPv4 ranges also apply to
 * IPv4-mapped IPv6 addresses and to their NAT64 (64:ff9b::/96) forms.
 */
const ipv4Ranges: readonly (readonly [string, number, string])[] = [
  ["0.0.0.0", 8, "unspecified"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local (cloud metadata)"],
  ["100.64.0.0", 10, "shared address space"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["198.18.0.0", 15, "benchmarking"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const ipv6Ranges: readonly (readonly [string, number, string])[] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
  ["2001:db8::", 32, "documentation"],
  ["100::", 64, "discard-only"],
  ["fd00:ec2::254", 128, "cloud metadata"],
];

const specialUse: readonly { label: string; list: BlockList }[] = [
  ...ipv4Ranges.map(([network, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, "ipv4");
    list.addSubnet(`64:ff9b::${network}`, 96 + prefix, "ipv6");
    return { label, list };
  }),
  ...ipv6Ranges.map(([network, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, "ipv6");
    return { label, list };
  }),
];

/** Decides which addresses logout notifications may be sent to. */
export interface AddressPolicy {
  /** Why connecting to this IP address is refused, or undefined when it is allowed. */
  refusal(address: string): string | undefined;
}

/** A policy refusing the special-use ranges above, except those in `allowed` (see parseAddressRanges). */
export function createAddressPolicy(allowed: BlockList = new BlockList()): AddressPolicy {
  return {
    refusal(address) {
      const family = isIP(address);
      if (family === 0) return "not an IP address";
      const type = family === 4 ? "ipv4" : "ipv6";
      if (allowed.check(address, type)) return undefined;
      return specialUse.find((range) => range.list.check(address, type))?.label;
    },
  };
}

/**
 * Parses a comma-separated list of addresses and CIDR ranges
 * (`127.0.0.1, 10.0.0.0/8, ::1`). Returns the error instead of throwing.
 */
export function parseAddressRanges(text: string): { ranges: BlockList } | { error: string } {
  const ranges = new BlockList();
  for (const entry of text.split(",").map((e) => e.trim()).filter((e) => e !== "")) {
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || Number(prefix ?? 0) > bits) {
      return { error: `"${entry}" is not an IP address or CIDR range` };
    }
    ranges.addSubnet(address, prefix === undefined ? bits : Number(prefix), family === 4 ? "ipv4" : "ipv6");
  }
  return { ranges };
}
