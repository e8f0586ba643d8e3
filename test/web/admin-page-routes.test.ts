import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { adminPageContentSecurityPolicy } from "../../src/server/admin-page.js";
import { testBackends } from "../support/backends.js";
import { startTestServer, type TestServer } from "../support/server.js";

const [sqlite] = await testBackends();

describe("admin page routes", () => {
  let server: TestServer;
  let base: string;

  before(async () => {
    server = await startTestServer(sqlite!);
    base = `http://127.0.0.1:${server.httpPort}`;
  });
  after(async () => {
    await server?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { redirect: "manual", headers });

  for (const [path, type] of [
    ["/admin/", "text/html; charset=utf-8"],
    ["/admin/app.js", "text/javascript; charset=utf-8"],
    ["/admin/app.css", "text/css; charset=utf-8"],
    ["/admin/favicon.svg", "image/svg+xml"],
    ["/admin/favicon.ico", "image/svg+xml"],
    ["/favicon.ico", "image/svg+xml"],
  ] as const) {
    it(`should serve ${path} as ${type} with a strict content security policy`, async () => {
      const response = await get(path);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), type);
      const csp = response.headers.get("content-security-policy") ?? "";
      assert.equal(csp, adminPageContentSecurityPolicy);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /connect-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.equal(response.headers.get("cache-control"), "no-cache");
      assert.ok((await response.arrayBuffer()).byteLength > 0);
    });
  }

  it("should answer a conditional request for an unchanged file with 304", async () => {
    const first = await get("/admin/app.js");
    const etag = first.headers.get("etag");
    assert.ok(etag);
    await first.arrayBuffer();
    const again = await get("/admin/app.js", { "if-none-match": etag });
    assert.equal(again.status, 304);
  });

  for (const path of ["/", "/admin"]) {
    it(`should redirect ${path} to /admin/`, async () => {
      const response = await get(path);
      assert.equal(response.status, 308);
      assert.equal(response.headers.get("location"), "/admin/");
    });
  }

  it("should load only its own script and styles, with no inline script or style", async () => {
    const html = await (await get("/admin/")).text();
    assert.match(html, /<script type="module" src="app.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="app.css">/);
    assert.match(html, /<link rel="icon" href="favicon.svg" type="image\/svg\+xml">/, "an icon from this origin, as img-src 'self' allows");
    assert.equal([...html.matchAll(/<script\b/g)].length, 1, "one script element, and it has a src");
    assert.doesNotMatch(html, /<style\b|\sstyle=|\son[a-z]+=/i, "no inline styles or event handlers");
    assert.doesNotMatch(html, /(?:src|href)="(?:https?:)?\/\//i, "no external resources");
  });

  it("should bundle the page without any external URL (works offline, no CDN, no fonts)", async () => {
    const script = await (await get("/admin/app.js")).text();
    const css = await (await get("/admin/app.css")).text();
    assert.match(script, /QuerySessions|querySessions/, "the bundle holds the API client");
    // Import and re-export forms only: page text such as "signed in from" is no module reference.
    assert.doesNotMatch(script, /\bimport\s*\(|\bimport\s*["{*]|\bimport\s+[\w$]+\s*from\s*["']|\}\s*from\s*["']/, "a single self-contained module");
    for (const [name, text] of [["app.js", script], ["app.css", css]] as const) {
      assert.deepEqual(text.match(/\b(?:https?|wss?):\/\/[^\s"'`)]+/gi) ?? [], [], `${name} names no external URL`);
      assert.doesNotMatch(text, /@import|url\(\s*["']?(?:https?:)?\/\//i, `${name} loads nothing from elsewhere`);
    }
  });

  it("should serve an icon that is a plain picture: no script, no external reference", async () => {
    const icon = await (await get("/admin/favicon.svg")).text();
    assert.match(icon, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(icon, /<script|\son[a-z]+=|href=|url\(/i);
    assert.ok(icon.length < 2048, `${icon.length} bytes`);
  });

  it("should not serve the page's sources or other paths under /admin/", async () => {
    for (const path of ["/admin/main.ts", "/admin/index.html", "/admin/../package.json"]) {
      const response = await get(path);
      await response.arrayBuffer();
      assert.notEqual(response.status, 200, path);
    }
  });
});
