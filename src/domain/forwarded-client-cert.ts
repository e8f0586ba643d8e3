/** One element of an `x-forwarded-client-cert` header: what one proxy says about the client it served. */
export interface ForwardedCertElement {
  /** The proxy's own identity (the URI name of its server certificate). */
  by?: string;
  /** SHA-256 of the client certificate, hex. */
  hash?: string;
  /** The URI name of the client certificate: the SPIFFE ID. */
  uri?: string;
  subject?: string;
  dns: string[];
}

// Keys that may appear once per element; DNS may repeat; Cert and Chain are read past.
const singleKeys = new Map([["by", "by"], ["hash", "hash"], ["uri", "uri"], ["subject", "subject"], ["cert", undefined], ["chain", undefined]] as const);

/**
 * Parses Envoy's `x-forwarded-client-cert` format: elements separated by ",",
 * each a ";"-separated list of Key=Value pairs (By, Hash, Cert, Chain,
 * Subject, URI, DNS; keys in any case), a value in double quotes when it
 * holds ",", ";" or "=" (a quote inside escaped as \"). Elements appear in the
 * order proxies added them: the last describes the client of the nearest
 * proxy. Anything malformed (an unknown key, a repeated key, a missing "=",
 * an unterminated quote, an empty element) refuses the whole header, with
 * the reason.
 */
export function parseForwardedClientCert(header: string): ForwardedCertElement[] | { error: string } {
  const elements: ForwardedCertElement[] = [];
  let element: ForwardedCertElement = { dns: [] };
  let seen = new Set<string>();
  let at = 0;
  for (;;) {
    const equals = header.indexOf("=", at);
    if (equals === -1) return { error: "expected Key=Value" };
    const key = header.slice(at, equals).trim().toLowerCase();
    let value = "";
    let end = equals + 1;
    if (header[end] === '"') {
      for (end++; end < header.length && header[end] !== '"'; end++) value += header[end] === "\\" ? header[++end] ?? "" : header[end];
      if (end >= header.length) return { error: "an unterminated quoted value" };
      end++;
    } else {
      while (end < header.length && header[end] !== ";" && header[end] !== ",") value += header[end++];
      if (value.includes('"')) return { error: "a quote inside an unquoted value" };
    }
    const problem = setField(element, seen, key, value);
    if (problem !== undefined) return { error: problem };
    while (header[end] === " ") end++;
    if (end >= header.length) break;
    if (header[end] === ",") {
      elements.push(element);
      element = { dns: [] };
      seen = new Set();
    } else if (header[end] !== ";") {
      return { error: `unexpected ${JSON.stringify(header[end])} after a value` };
    }
    at = end + 1;
  }
  elements.push(element);
  return elements;
}

function setField(element: ForwardedCertElement, seen: Set<string>, key: string, value: string): string | undefined {
  if (key === "dns") {
    element.dns.push(value);
    return undefined;
  }
  if (!singleKeys.has(key as never)) return key === "" ? "an empty key" : `unknown key ${JSON.stringify(key.slice(0, 20))}`;
  if (seen.has(key)) return `${key} appears twice in one element`;
  seen.add(key);
  const field = singleKeys.get(key as never) as "by" | "hash" | "uri" | "subject" | undefined;
  if (field !== undefined) element[field] = value;
  return undefined;
}
