import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { listenHttp1, type Http1Listener } from "../../src/server/http1-listener.js";
import { createHttpRouter } from "../../src/server/http-router.js";
import { registerWellKnown } from "../../src/server/well-known.js";

const jwks = { keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y", kid: "k1", alg: "ES256", use: "sig" }] };

/** A plain HTTP/1.1 request, as a relying party's HTTP client makes it. */
function request(port: number, method: string, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the well-known documents over HTTP/1.1", () => {
  let plain: Http1Listener;
  let withIssuer: Http1Listener;
  before(async () => {
    const logger = pino({ level: "silent" });
    const a = createHttpRouter(logger);
    registerWellKnown(a, { jwks });
    plain = await listenHttp1((req, res) => a.handle(req, res), "127.0.0.1", 0);
    const b = createHttpRouter(logger);
    registerWellKnown(b, { jwks, issuer: "https://login.example.com/tenant-1" });
    b.get("/fails", () => {
      throw new Error("handler bug with a secret in it");
    });
    withIssuer = await listenHttp1((req, res) => b.handle(req, res), "127.0.0.1", 0);
  });
  after(async () => {
    await plain.close(100);
    await withIssuer.close(100);
  });

  it("should serve the JWK Set as JSON to plain HTTP/1.1 clients", async () => {
    const response = await request(plain.port, "GET", "/.well-known/jwks.json");
    assert.equal(response.status, 200);
    assert.match(response.headers["content-type"]!, /^application\/json/);
    assert.match(response.headers["cache-control"]!, /max-age=/);
    assert.deepEqual(JSON.parse(response.body), jwks);
  });

  it("should answer HEAD with the headers only", async () => {
    const response = await request(plain.port, "HEAD", "/.well-known/jwks.json");
    assert.equal(response.status, 200);
    assert.equal(response.body, "");
    assert.equal(response.headers["content-length"], String(JSON.stringify(jwks).length));
  });

  it("should serve no OpenID Provider discovery document, with or without an issuer: this service is not one", async () => {
    assert.equal((await request(plain.port, "GET", "/.well-known/openid-configuration")).status, 404);
    assert.equal((await request(withIssuer.port, "GET", "/tenant-1/.well-known/openid-configuration")).status, 404);
    assert.equal((await request(withIssuer.port, "GET", "/.well-known/openid-configuration")).status, 404);
  });

  it("should serve the back-channel logout metadata with the keys, saying what it is and what it is not", async () => {
    const response = await request(withIssuer.port, "GET", "/.well-known/backchannel-logout-metadata");
    assert.equal(response.status, 200);
    assert.match(response.headers["content-type"]!, /^application\/json/);
    assert.match(response.headers["cache-control"]!, /max-age=/);
    const { description, ...metadata } = JSON.parse(response.body);
    assert.deepEqual(metadata, {
      issuer: "https://login.example.com/tenant-1",
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      jwks,
    });
    assert.match(description, /not an OpenID Provider configuration/);
    assert.match(description, /identity provider's own jwks_uri must publish them/);
    // Nothing that would pass it off as a provider's configuration.
    for (const field of ["authorization_endpoint", "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported", "jwks_uri"]) {
      assert.equal(field in metadata, false, field);
    }
  });

  it("should serve the metadata without an issuer too, naming none", async () => {
    const metadata = JSON.parse((await request(plain.port, "GET", "/.well-known/backchannel-logout-metadata")).body);
    assert.equal("issuer" in metadata, false);
    assert.deepEqual(metadata.jwks, jwks);
    assert.equal(metadata.backchannel_logout_supported, true);
  });

  it("should serve the keys under the issuer's path as well", async () => {
    const keys = await request(withIssuer.port, "GET", "/tenant-1/.well-known/jwks.json");
    assert.deepEqual(JSON.parse(keys.body), jwks);
    assert.equal((await request(withIssuer.port, "GET", "/.well-known/jwks.json")).status, 200);
  });

  it("should answer 404 to unknown paths, 405 to other methods, and 500 without details when a handler fails", async () => {
    assert.equal((await request(plain.port, "GET", "/nothing")).status, 404);
    const post = await request(plain.port, "POST", "/.well-known/jwks.json");
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
    const failed = await request(withIssuer.port, "GET", "/fails");
    assert.equal(failed.status, 500);
    assert.equal(failed.body.includes("secret"), false);
  });

  // Without closing idle connections, close() would wait out the ten-minute grace period.
  it("should close idle keep-alive connections when it shuts down instead of waiting for them", { timeout: 20_000 }, async () => {
    const router = createHttpRouter(pino({ level: "silent" }));
    registerWellKnown(router, { jwks });
    const listener = await listenHttp1((req, res) => router.handle(req, res), "127.0.0.1", 0);
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) => http.get({ host: "127.0.0.1", port: listener.port, path: "/.well-known/jwks.json", agent }, (r) => r.resume().on("end", resolve)));
    await listener.close(600_000);
    agent.destroy();
    await assert.rejects(request(listener.port, "GET", "/.well-known/jwks.json"), /ECONNREFUSED/);
  });
});
