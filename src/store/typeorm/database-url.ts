/** Where the database is, parsed from DATABASE_URL. */
export type DatabaseLocation =
  | { kind: "sqlite"; path: string }
  | { kind: "mysql"; host: string; port: number; user: string; password: string; database: string };

const expected = "expected sqlite:<path> or mysql://user:password@host:port/database";

/**
 * Parses `sqlite:<path>` (relative, absolute, `sqlite:///absolute`, or
 * `:memory:`) and `mysql://user:password@host:port/database` (also
 * `mariadb://`). Returns an error message naming what is wrong instead of
 * throwing.
 */
export function parseDatabaseUrl(url: string): { location: DatabaseLocation } | { error: string } {
  if (/^sqlite:/i.test(url)) return parseSqlite(url.slice("sqlite:".length));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `is not a URL; ${expected}` };
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    return { error: `unsupported scheme ${parsed.protocol}; ${expected}` };
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    return { error: "mysql URL takes no query parameters or fragment; use the DB_* options instead" };
  }
  const parts = [parsed.pathname.replace(/^\//, ""), parsed.username, parsed.password].map(decode);
  if (parts.some((part) => part === undefined)) return { error: "mysql URL has a malformed %-escape" };
  const [database, user, password] = parts as string[];
  if (database === "" || database!.includes("/")) return { error: "mysql URL needs a database name in its path" };
  return {
    location: {
      kind: "mysql",
      host: parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1",
      port: parsed.port === "" ? 3306 : Number(parsed.port),
      user: user || "root",
      password: password!,
      database: database!,
    },
  };
}

function parseSqlite(rest: string): { location: DatabaseLocation } | { error: string } {
  // sqlite:///abs/path is the conventional absolute form; sqlite://x would name a host.
  const path = rest.startsWith("///") ? rest.slice(2) : rest;
  if (path.startsWith("//")) return { error: "sqlite URL takes a path: sqlite:./data/sessions.db or sqlite:///absolute/path.db" };
  if (path === "") return { error: "sqlite URL needs a file path, e.g. sqlite:./data/sessions.db" };
  return { location: { kind: "sqlite", path } };
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The URL with its password hidden, for logs. */
export function redactDatabaseUrl(url: string): string {
  // The password runs to the last "@" before the host, as URL parsing reads it.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^/]*@/i, "$1***@");
}
