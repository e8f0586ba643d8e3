/**
 * Display names are matched by case-insensitive prefix. Instead of relying on
 * a database collation (which differs between MySQL, MariaDB and SQLite, and
 * treats `%` and `_` as wildcards under LIKE), every session stores a folded
 * copy of its display name, and a prefix filter becomes a range over that
 * column: `key >= fold(prefix) AND key < successor(fold(prefix))`. Binary
 * comparison of UTF-8 follows code point order on every engine, so the range
 * is served by an ordinary index.
 */

/** Longest stored key in UTF-8 bytes; matches the column size. */
export const displayNameKeyMaxBytes = 1024;

/** The folded form stored next to a display name and compared against prefixes. */
export function displayNameKey(displayName: string): string {
  return truncateUtf8(foldCase(displayName), displayNameKeyMaxBytes);
}

/** The half-open range of keys that start with the folded prefix. */
export function displayNamePrefixRange(prefix: string): { from: string; to?: string } {
  const from = displayNameKey(prefix);
  return { from, to: successor(from) };
}

// Upper-casing first maps variants that lower-casing alone leaves apart
// (ſ → S → s, ß → SS → ss), which is close to Unicode full case folding.
// Lower-casing picks final sigma (ς) by position in the string, so a prefix
// would end in ς where the longer name has σ: fold both to σ.
function foldCase(value: string): string {
  return value.normalize("NFC").toUpperCase().toLowerCase().replaceAll("ς", "σ");
}

// The smallest string greater than every string with this prefix; undefined
// when none exists (the prefix is made of U+10FFFF only).
function successor(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return String.fromCodePoint(...codePoints, next);
    }
  }
  return undefined;
}

function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, "utf8") <= maxBytes) return value;
  let bytes = 0;
  let end = 0;
  for (const c of value) {
    const size = Buffer.byteLength(c, "utf8");
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += c.length;
  }
  return value.slice(0, end);
}
