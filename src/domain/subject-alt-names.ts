/** One subject alternative name of a certificate, as Node reports it. */
export interface SubjectAltName {
  /** "DNS", "URI", "IP Address", "email", ... */
  type: string;
  value: string;
}

/**
 * The entries of Node's `subjectaltname` text (`DNS:a, URI:spiffe://b,
 * IP Address:127.0.0.1`). Node quotes a value that holds a comma, quote or
 * control character as a JSON string (`URI:"a,b"`); such values are decoded.
 * Returns the error instead of throwing for text it cannot read: a
 * certificate whose names cannot be read matches no name-based rule.
 */
export function parseSubjectAltNames(text: string | undefined): SubjectAltName[] | { error: string } {
  const names: SubjectAltName[] = [];
  let at = 0;
  while (text !== undefined && at < text.length) {
    const colon = text.indexOf(":", at);
    if (colon === -1) return { error: "a subject alternative name without a type" };
    const type = text.slice(at, colon);
    let value: string;
    let end: number;
    if (text[colon + 1] === '"') {
      const close = closingQuote(text, colon + 1);
      if (close === -1) return { error: "an unterminated quoted subject alternative name" };
      try {
        value = JSON.parse(text.slice(colon + 1, close + 1)) as string;
      } catch {
        return { error: "a badly quoted subject alternative name" };
      }
      end = close + 1;
    } else {
      const comma = text.indexOf(", ", colon);
      end = comma === -1 ? text.length : comma;
      value = text.slice(colon + 1, end);
    }
    names.push({ type, value });
    if (end < text.length && !text.startsWith(", ", end)) return { error: "subject alternative names not separated by ', '" };
    at = end + 2;
  }
  return names;
}

// The index of the quote that ends the JSON string opening at `open`.
function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
