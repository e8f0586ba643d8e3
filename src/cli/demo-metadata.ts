import { parseIpAddress } from "../domain/ip-address.js";

/** Column order of the metadata that follows each generated session row. */
export const metadataColumns = [
  "sign_in_ip",
  "sign_in_ip_key",
  "sign_in_user_agent",
  "last_seen_ip",
  "last_seen_user_agent",
  "last_seen",
  "amr",
  "acr",
] as const;

// Browsers and apps as their User-Agent headers read, most common first.
const userAgents = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15",
  "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
  "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0",
  "ExampleBank/7.4.1 (iPhone; iOS 18.6; Scale/3.00)",
];
const userAgentWeights = [30, 22, 12, 12, 9, 7, 4, 4];
const amrChoices = ['["pwd"]', '["pwd","otp"]', '["hwk","user"]', '["fed"]'];
const amrWeights = [55, 25, 12, 8];
const acrFor: Record<string, string> = { '["pwd"]': "urn:idp:loa:1", '["fed"]': "urn:idp:loa:1" };
const multiFactorAcr = "urn:idp:loa:2";

/**
 * Realistic metadata for one generated session, drawn from `random` (its own
 * stream, so that the sessions' other values do not change): a subject signs
 * in from its home address (10.0.0.0/8, or an IPv6 /64 inside 2001:db8::/32
 * for a quarter of subjects), with one of a few browsers, and is mostly last
 * seen where it signed in, at its last renewal.
 */
export function demoMetadataRow(subjectId: string, renewed: number, random: () => number): unknown[] {
  const h = fnv1a(subjectId);
  const ipv6 = (h & 3) === 0;
  const home = ipv6
    ? `2001:db8:${((h >>> 8) & 0xffff).toString(16)}:${((h >>> 24) & 0xff).toString(16)}::${Math.floor(random() * 0xffff).toString(16)}`
    : `10.${(h >>> 8) & 0xff}.${(h >>> 16) & 0xff}.${(h >>> 24) & 0xff}`;
  const userAgent = userAgents[pick(userAgentWeights, random())]!;
  // One in ten moved on since sign-in (a phone on another network).
  const lastSeenIp = random() < 0.1 ? `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}` : home;
  const amr = amrChoices[pick(amrWeights, random())]!;
  return [home, Buffer.from(parseIpAddress("sign_in_ip", home).key), userAgent, lastSeenIp, userAgent, new Date(renewed), amr, acrFor[amr] ?? multiFactorAcr];
}

function pick(weights: readonly number[], roll: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let at = roll * total;
  for (let i = 0; i < weights.length; i++) {
    at -= weights[i]!;
    if (at < 0) return i;
  }
  return weights.length - 1;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
