import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { HttpHandler, HttpRouter } from "./http-router.js";

/** One file of the admin page, held in memory. */
export interface PageAsset {
  readonly contentType: string;
  readonly body: Buffer;
  /** A strong validator of the body, for conditional requests. */
  readonly etag: string;
}

/** The admin page: its HTML, its script bundle, its style sheet and its icon. */
export interface AdminPageAssets {
  readonly html: PageAsset;
  readonly script: PageAsset;
  readonly styles: PageAsset;
  readonly icon: PageAsset;
}

/**
 * The page may load its own script, styles and images and call its own
 * origin, nothing else: no inline script or style, no frames, no forms to
 * elsewhere, no plugins.
 */
export const adminPageContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const webDirectory = fileURLToPath(new URL("../web/", import.meta.url));

let assets: Promise<AdminPageAssets> | undefined;

/**
 * Bundles the page from src/web with esbuild, in memory (nothing is written
 * to disk), once per process: later server starts in the same process reuse it.
 */
export function loadAdminPageAssets(): Promise<AdminPageAssets> {
  assets ??= bundle().catch((error: unknown) => {
    assets = undefined;
    throw error;
  });
  return assets;
}

async function bundle(): Promise<AdminPageAssets> {
  const result = await build({
    entryPoints: [`${webDirectory}main.ts`],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    sourcemap: false,
    logLevel: "silent",
  });
  const script = result.outputFiles[0];
  if (script === undefined) throw new Error("esbuild produced no admin page bundle");
  const [html, styles, icon] = await Promise.all(["index.html", "app.css", "favicon.svg"].map((name) => readFile(`${webDirectory}${name}`)));
  return {
    html: asset("text/html; charset=utf-8", html!),
    script: asset("text/javascript; charset=utf-8", Buffer.from(script.contents)),
    styles: asset("text/css; charset=utf-8", styles!),
    icon: asset("image/svg+xml", icon!),
  };
}

function asset(contentType: string, body: Buffer): PageAsset {
  return { contentType, body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

/**
 * Serves the admin page at /admin/ (with /admin/app.js, /admin/app.css and
 * its icon /admin/favicon.svg), and sends / and /admin there. Browsers that
 * ask for /favicon.ico (any page of this origin, or before reading the
 * page's icon link) get the same icon. The page calls the public API of this
 * same origin with the Connect protocol, so it needs no CORS.
 */
export async function registerAdminPage(router: HttpRouter): Promise<void> {
  const page = await loadAdminPageAssets();
  router.get("/admin/", serve(page.html));
  router.get("/admin/app.js", serve(page.script));
  router.get("/admin/app.css", serve(page.styles));
  router.get("/admin/favicon.svg", serve(page.icon));
  router.get("/admin/favicon.ico", serve(page.icon));
  router.get("/favicon.ico", serve(page.icon));
  router.get("/admin", redirect("/admin/"));
  router.get("/", redirect("/admin/"));
}

function serve(file: PageAsset): HttpHandler {
  return (request, response) => {
    const headers = {
      "content-type": file.contentType,
      "content-security-policy": adminPageContentSecurityPolicy,
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      // Revalidated on every load: a new server version never runs with an old script.
      "cache-control": "no-cache",
      etag: file.etag,
    };
    if (request.headers["if-none-match"] === file.etag) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    response.writeHead(200, { ...headers, "content-length": file.body.length });
    response.end(request.method === "HEAD" ? undefined : file.body);
  };
}

function redirect(location: string): HttpHandler {
  return (_request, response) => {
    response.writeHead(308, { location, "content-length": 0, "cache-control": "no-cache", "x-content-type-options": "nosniff" });
    response.end();
  };
}
