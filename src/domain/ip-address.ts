import { isIPv4, isIPv6 } from "node:net";
import { invalidArgument } from "./errors.js";

/**
 * An IP address as stored: its canonical text and a 16-byte key that sorts
 * like the address (IPv4 as IPv4-mapped IPv6, so both spellings are one
 * address and a CIDR block is one key range).
 */
export interface IpAddress {
  text: string;
  key: Uint8Array;
}

/** The addresses a filter matches: keys `from` to `to`, both included; `text` is the canonical spelling. */
export interface IpRange {
  from: Uint8Array;
  to: Uint8Array;
  text: string;
}

/** Validates an IPv4 or IPv6 literal (no zone, no port); INVALID_ARGUMENT naming the field otherwise. */
export function parseIpAddress(field: string, value: string): IpAddress {
  const key = ipKey(value);
  if (key === undefined) throw invalidArgument(field, "must be an IPv4 or IPv6 address");
  return { text: ipText(key), key };
}

/**
 * Validates an address (exact match) or a CIDR block (`203.0.113.0/24`,
 * `2001:db8::/32`); host bits set in a block are an error, as they usually
 * mean a typing mistake.
 */
export function parseIpRange(field: string, value: string): IpRange {
  const slash = value.indexOf("/");
  if (slash < 0) {
    const address = parseIpAddress(field, value);
    return { from: address.key, to: address.key, text: address.text };
  }
  const base = value.slice(0, slash);
  const bitsText = value.slice(slash + 1);
  const key = ipKey(base);
  if (key === undefined || !/^\d{1,3}$/.test(bitsText)) throw invalidArgument(field, "must be an IP address or a CIDR block such as 203.0.113.0/24");
  const v4 = isIPv4(base);
  const bits = Number(bitsText) + (v4 ? 96 : 0);
  if (bits > 128 || Number(bitsText) > (v4 ? 32 : 128)) throw invalidArgument(field, `prefix length must be at most ${v4 ? 32 : 128}`);
  const from = Uint8Array.from(key);
  const to = Uint8Array.from(key);
  for (let bit = bits; bit < 128; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((key[bit >> 3]! & mask) !== 0) throw invalidArgument(field, "has host bits set after the prefix length");
    to[bit >> 3]! |= mask;
  }
  return { from, to, text: `${ipText(from)}/${bitsText}` };
}

/** The canonical text of a stored 16-byte key. */
export function ipText(key: Uint8Array): string {
  if (isMapped(key)) return Array.from(key.subarray(12)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => ((key[2 * i]! << 8) | key[2 * i + 1]!).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes "::", the first one on a tie.
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.length).join(":")}`;
}

function isMapped(key: Uint8Array): boolean {
  return key.subarray(0, 10).every((b) => b === 0) && key[10] === 0xff && key[11] === 0xff;
}

function ipKey(value: string): Uint8Array | undefined {
  const key = new Uint8Array(16);
  if (isIPv4(value)) {
    key[10] = 0xff;
    key[11] = 0xff;
    value.split(".").forEach((part, i) => (key[12 + i] = Number(part)));
    return key;
  }
  if (!isIPv6(value) || value.includes("%")) return undefined;
  let text = value.toLowerCase();
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const [a, b, c, d] = tail.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.includes("::") ? text.split("::") as [string, string] : [text, undefined];
  const headGroups = head === "" ? [] : head.split(":");
  const restGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - restGroups.length).fill("0"), ...restGroups];
  groups.forEach((group, i) => {
    const n = parseInt(group, 16);
    key[2 * i] = n >> 8;
    key[2 * i + 1] = n & 0xff;
  });
  return key;
}
