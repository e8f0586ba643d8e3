/** Where the database is, parsed from DATABASE_URL. */
export type DatabaseLocation =
  | { kind: "sqlite"; path: string }
  | { kind: "mysql"; host: string; port: number; user: string; password: string; database: string };

/**
 * Parses `sqlite:<path>` (relative or absolute, or `:memory:`) and
 * `mysql://user:password@host:port/database` (also `mariadb://`). Returns an
 * error message naming what is wrong instead of throwing.
 */
export function parseDatabaseUrl(url: string): { location: DatabaseLocation } | { error: string } {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (path === "") return { error: "sqlite URL needs a file path, e.g. sqlite:./data/sessions.db" };
    return { location: { kind: "sqlite", path } };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: "is not a URL; expected sqlite:<path> or mysql://user:password@host:port/database" };
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    return { error: `unsupported scheme ${parsed.protocol}; expected sqlite: or mysql:` };
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (database === "" || database.includes("/")) return { error: "mysql URL needs a database name in its path" };
  return {
    location: {
      kind: "mysql",
      host: parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1",
      port: parsed.port === "" ? 3306 : Number(parsed.port),
      user: decodeURIComponent(parsed.username) || "root",
      password: decodeURIComponent(parsed.password),
      database,
    },
  };
}

/** The URL with its password hidden, for logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}
