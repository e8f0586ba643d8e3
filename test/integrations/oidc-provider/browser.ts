/** A page as the browser ended on it. */
export interface Page {
  url: string;
  status: number;
  body: string;
}

/**
 * A minimal browser for tests: a cookie jar per host (as browsers keep
 * cookies: by host, not port), redirects followed, and self-submitting
 * form_post pages submitted. It stops at any other page (a login form, a
 * consent form, an error page) and returns it.
 */
export interface Browser {
  get(url: string): Promise<Page>;
  post(url: string, form: Record<string, string>): Promise<Page>;
  /** Forgets every cookie (a new browser profile). */
  clear(): void;
}

export function createBrowser(): Browser {
  const jars = new Map<string, Map<string, string>>();
  const jar = (url: URL) => {
    let cookies = jars.get(url.hostname);
    if (cookies === undefined) jars.set(url.hostname, (cookies = new Map()));
    return cookies;
  };

  const request = async (url: string, init: { method: string; body?: string }): Promise<Page> => {
    let current = new URL(url);
    let method = init.method;
    let body = init.body;
    for (let hops = 0; hops < 20; hops++) {
      const cookies = [...jar(current)].map(([k, v]) => `${k}=${v}`).join("; ");
      const response = await fetch(current, {
        method,
        redirect: "manual",
        headers: {
          ...(cookies ? { cookie: cookies } : {}),
          ...(body !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      for (const line of response.headers.getSetCookie()) remember(jar(current), line);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        current = new URL(location, current);
        method = "GET";
        body = undefined;
        continue;
      }
      const text = await response.text();
      const autoPost = selfSubmittingForm(text);
      if (autoPost !== undefined) {
        current = new URL(autoPost.action, current);
        method = "POST";
        body = new URLSearchParams(autoPost.fields).toString();
        continue;
      }
      return { url: current.toString(), status: response.status, body: text };
    }
    throw new Error(`too many redirects from ${url}`);
  };

  return {
    get: (url) => request(url, { method: "GET" }),
    post: (url, form) => request(url, { method: "POST", body: new URLSearchParams(form).toString() }),
    clear: () => jars.clear(),
  };
}

function remember(cookies: Map<string, string>, line: string): void {
  const [pair, ...attributes] = line.split(";");
  const eq = pair!.indexOf("=");
  const name = pair!.slice(0, eq).trim();
  const value = pair!.slice(eq + 1).trim();
  const expired = attributes.some((a) => {
    const [k, v] = a.trim().split("=");
    return (k!.toLowerCase() === "max-age" && Number(v) <= 0) || (k!.toLowerCase() === "expires" && Date.parse(v ?? "") < Date.now());
  });
  if (expired || value === "") cookies.delete(name);
  else cookies.set(name, value);
}

// oidc-provider's form_post response and its end_session auto-submit:
// a form submitted by script as soon as the page loads.
function selfSubmittingForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  if (!/\.submit\(\)/.test(html)) return undefined;
  const form = /<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) return undefined;
  return { action: decodeEntities(form[1]!), fields: hiddenFields(form[2]!) };
}

/** The name/value pairs of the hidden inputs in some HTML. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? "";
    if (name !== undefined) fields[decodeEntities(name)] = decodeEntities(value);
  }
  return fields;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
