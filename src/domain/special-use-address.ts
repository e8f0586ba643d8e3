import { BlockList, isIP } from "node:net";

/**
 * Address ranges a logout notification is never sent to unless an operator
 * allows them: addresses that reach this host or its link rather than a
 * relying party (loopback, link-local with the cloud metadata endpoints,
 * unspecified), shared and reserved space, documentation, benchmarking and
 * multicast ranges. Private networks (10/8, 172.16/12, 192.168/16, fc00::/7)
 * are where internal relying parties live and stay allowed, except for the
 * metadata endpoint AWS keeps in them.
 *
 * IPv6 addresses that carry an IPv4 address a packet ends up at (mapped,
 * compatible, translated, NAT64 and 6to4 forms; see embeddedIpv4) are judged
 * as that IPv4 address. Teredo is refused whole: its IPv4 end is a client's
 * NAT mapping, and no relying party serves from one.
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
  ["2001:2::", 48, "benchmarking"],
  ["2001::", 32, "Teredo"],
  ["100::", 64, "discard-only"],
  ["fd00:ec2::254", 128, "cloud metadata"],
];

const rangeLists = (ranges: typeof ipv4Ranges, type: "ipv4" | "ipv6") =>
  ranges.map(([network, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return { label, list };
  });
const specialIpv4 = rangeLists(ipv4Ranges, "ipv4");
const specialIpv6 = rangeLists(ipv6Ranges, "ipv6");

/** Decides which addresses logout notifications may be sent to. */
export interface AddressPolicy {
  /** Why connecting to this IP address is refused, or undefined when it is allowed. */
  refusal(address: string): string | undefined;
}

/**
 * A policy refusing the special-use ranges above, except those in `allowed`
 * (see parseAddressRanges). An IPv6 form of an IPv4 address is allowed when
 * its IPv4 address is.
 */
export function createAddressPolicy(allowed: BlockList = new BlockList()): AddressPolicy {
  const ipv4Refusal = (address: string) =>
    allowed.check(address, "ipv4") ? undefined : specialIpv4.find((range) => range.list.check(address, "ipv4"))?.label;
  return {
    refusal(address) {
      const family = isIP(address);
      if (family === 0) return "not an IP address";
      if (family === 4) return ipv4Refusal(address);
      if (allowed.check(address, "ipv6")) return undefined;
      const own = specialIpv6.find((range) => range.list.check(address, "ipv6"))?.label;
      if (own !== undefined) return own;
      const embedded = embeddedIpv4(address);
      const label = embedded && ipv4Refusal(embedded.ipv4);
      return label && `${label} (${embedded!.ipv4} via ${embedded!.form})`;
    },
  };
}

/**
 * The IPv4 address an IPv6 address delivers to, for the forms that embed one
 * in a fixed place: IPv4-mapped `::ffff:0:0/96`, IPv4-compatible `::/96`
 * (deprecated; `::` and `::1` excepted), IPv4-translated
 * `::ffff:0:0:0/96`, NAT64 `64:ff9b::/96` and 6to4 `2002::/16`.
 * `address` must be a valid IPv6 address.
 */
export function embeddedIpv4(address: string): { ipv4: string; form: string } | undefined {
  const g = ipv6Groups(address);
  const ipv4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zero = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (zero(0, 5) && g[5] === 0xffff) return { ipv4: ipv4(g[6]!, g[7]!), form: "IPv4-mapped" };
  // :: and ::1 are IPv6's own unspecified and loopback addresses.
  if (zero(0, 6) && (g[6] !== 0 || g[7]! > 1)) return { ipv4: ipv4(g[6]!, g[7]!), form: "IPv4-compatible" };
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return { ipv4: ipv4(g[6]!, g[7]!), form: "IPv4-translated" };
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return { ipv4: ipv4(g[6]!, g[7]!), form: "NAT64" };
  if (g[0] === 0x2002) return { ipv4: ipv4(g[1]!, g[2]!), form: "6to4" };
  return undefined;
}

// The eight 16-bit groups of a valid IPv6 address (zone and dotted tail allowed).
function ipv6Groups(address: string): number[] {
  let text = address.replace(/%.*$/, "");
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, dotted.index);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((hex) => parseInt(hex, 16)));
  const gap = text.indexOf("::");
  if (gap === -1) return [...groups(text), ...tail];
  const head = groups(text.slice(0, gap));
  const rest = [...groups(text.slice(gap + 2)), ...tail];
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
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
