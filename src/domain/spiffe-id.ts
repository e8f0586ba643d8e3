/**
 * SPIFFE IDs (spiffe://trust-domain/path) as the SPIFFE ID specification
 * defines them: a lower-case trust domain of letters, digits, ".", "-" and
 * "_"; a path of non-empty segments of letters, digits, ".", "-" and "_",
 * none of them "." or ".."; no port, user, query or fragment; at most 2048
 * bytes. Anything else is refused with the reason, never repaired.
 */
export interface SpiffeId {
  /** The whole ID, exactly as given. */
  id: string;
  trustDomain: string;
  /** The path segments ("ns", "ops", "sa", "console"). */
  segments: readonly string[];
}

const maxLength = 2048;
const trustDomainPattern = /^[a-z0-9._-]+$/;
const segmentPattern = /^[A-Za-z0-9._-]+$/;

/** The parts of a SPIFFE ID, or why the text is not one. */
export function parseSpiffeId(text: string): SpiffeId | { error: string } {
  if (text.length > maxLength) return { error: `a SPIFFE ID is at most ${maxLength} characters` };
  if (!text.startsWith("spiffe://")) return { error: "a SPIFFE ID starts with spiffe://" };
  const rest = text.slice("spiffe://".length);
  const slash = rest.indexOf("/");
  const trustDomain = slash === -1 ? rest : rest.slice(0, slash);
  if (!trustDomainPattern.test(trustDomain)) {
    return { error: "the trust domain must be lower-case letters, digits, '.', '-' or '_' (no port, user or upper case)" };
  }
  if (slash === -1) return { id: text, trustDomain, segments: [] };
  const segments = rest.slice(slash + 1).split("/");
  for (const segment of segments) {
    if (segment === "") return { error: "the path has an empty segment" };
    if (segment === "." || segment === "..") return { error: "the path has a '.' or '..' segment" };
    if (!segmentPattern.test(segment)) return { error: "a path segment may hold only letters, digits, '.', '-' or '_' (no query, fragment or escapes)" };
  }
  return { id: text, trustDomain, segments };
}

/** A rule's SPIFFE ID pattern: an exact ID, or one with `*` and a final `**` segments. */
export interface SpiffePattern {
  readonly text: string;
  matches(id: SpiffeId): boolean;
}

/**
 * Parses a SPIFFE ID pattern. The trust domain is always exact. In the path,
 * a `*` segment matches any one segment, and a final `**` segment matches one
 * or more remaining segments: `spiffe://example.org/ns/ops/sa/*` matches every
 * service account of namespace ops, `spiffe://example.org/ns/ops/**` anything
 * under it. Other segments match exactly (case-sensitive).
 */
export function parseSpiffePattern(text: string): SpiffePattern | { error: string } {
  const sample = parseSpiffeId(text.replace(/\/\*\*?(?=\/|$)/g, "/x"));
  if ("error" in sample) return { error: `"${text}" is not a SPIFFE ID pattern: ${sample.error}` };
  const segments = text.slice(`spiffe://${sample.trustDomain}`.length).split("/").slice(1);
  const anyRest = segments.at(-1) === "**";
  if (segments.slice(0, -1).includes("**")) return { error: `"${text}": ** may only be the last segment` };
  const fixed = anyRest ? segments.slice(0, -1) : segments;
  return {
    text,
    matches(id) {
      if (id.trustDomain !== sample.trustDomain) return false;
      if (anyRest ? id.segments.length <= fixed.length : id.segments.length !== fixed.length) return false;
      return fixed.every((segment, i) => segment === "*" || segment === id.segments[i]);
    },
  };
}
