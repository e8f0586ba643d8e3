/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A complete page with inline styles only: the demo's pages load nothing
 * from anywhere (oidc-provider's built-in pages import a web font from the
 * internet, so the demo replaces them).
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}
input,button{font:inherit;padding:.4rem .6rem;margin:.2rem 0}button{cursor:pointer}
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}.muted{color:#666}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
