import type { HttpRouter } from "./http-router.js";
import { sendJson } from "./http-router.js";
import type { Metrics } from "./metrics.js";

/**
 * Registers the probes and metrics on the plain HTTP routes: /healthz (the
 * process answers), /readyz (the database answers and the server is not
 * shutting down) and /metrics (Prometheus text format).
 */
export function registerOperations(router: HttpRouter, deps: { readiness: { readonly ready: boolean }; metrics: Metrics }): void {
  router.get("/healthz", (_request, response) => sendJson(response, 200, { status: "ok" }));
  router.get("/readyz", (_request, response) =>
    deps.readiness.ready ? sendJson(response, 200, { status: "ready" }) : sendJson(response, 503, { status: "not ready" }),
  );
  router.get("/metrics", async (request, response) => {
    const { contentType, body } = await deps.metrics.render();
    response.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
    response.end(request.method === "HEAD" ? undefined : body);
  });
}
