import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";
import { createJwtAuthenticator, looksLikeJwt } from "../../../src/service/auth/jwt-tokens.js";

describe("createJwtAuthenticator()", () => {
  let server: Server;
  let jwksUrl: URL;
  let fetches = 0;
  const issuer = "https://idp.example.com";
  const audience = "session-management";
  let keys: { kid: string; privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"]; alg: string }[];

  before(async () => {
    const rsa = await generateKeyPair("RS256", { extractable: true });
    const ec = await generateKeyPair("ES256", { extractable: true });
    keys = [
      { kid: "rsa-1", privateKey: rsa.privateKey, alg: "RS256" },
      { kid: "ec-1", privateKey: ec.privateKey, alg: "ES256" },
    ];
    const jwks: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" },
      { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
    ];
    // A real JWKS endpoint on loopback, as the issuer would publish it.
    server = createServer((_request, response) => {
      fetches++;
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ keys: jwks }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    jwksUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const authenticator = () => createJwtAuthenticator({ issuer, audience, jwksUrl, algorithms: ["RS256", "ES256"], clockToleranceSeconds: 30 });
  const token = (claims: Record<string, unknown> = {}, options: { kid?: string; iss?: string; aud?: string; exp?: number | string } = {}) => {
    const key = keys.find((k) => k.kid === (options.kid ?? "rsa-1"))!;
    return new SignJWT({ scope: "sessions.read clients.admin offline_access", ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? audience)
      .setSubject("ops-tool")
      .setIssuedAt()
      .setExpirationTime(options.exp ?? "5m")
      .sign(key.privateKey);
  };

  it("should accept a valid token and take permissions from its scope", async () => {
    const principal = await authenticator().authenticate(await token());
    assert.deepEqual(principal, { id: "jwt:ops-tool", kind: "jwt", permissions: new Set(["sessions.read", "clients.admin"]), subject: "ops-tool" });
    const ec = await authenticator().authenticate(await token({ scope: undefined, scp: ["sessions.write"] }, { kid: "ec-1" }));
    assert.deepEqual(ec?.permissions, new Set(["sessions.write"]));
  });

  it("should take sessions.self from the scope and name the token's sub as the caller's subject", async () => {
    const principal = await authenticator().authenticate(await token({ scope: "openid sessions.self" }));
    assert.deepEqual(principal, { id: "jwt:ops-tool", kind: "jwt", permissions: new Set(["sessions.self"]), subject: "ops-tool" });
  });

  it("should refuse a token whose sub is not a non-empty string, as it names no one", async () => {
    const key = keys.find((k) => k.kid === "rsa-1")!;
    const withSub = (sub: unknown) =>
      new SignJWT({ scope: "sessions.self", sub } as never)
        .setProtectedHeader({ alg: key.alg, kid: key.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime("5m")
        .sign(key.privateKey);
    assert.ok(await authenticator().authenticate(await withSub("alice")), "the same token with a string sub is accepted");
    for (const sub of [42, ["alice"], { id: "alice" }, "", null]) {
      assert.equal(await authenticator().authenticate(await withSub(sub)), undefined, JSON.stringify(sub));
    }
  });

  it("should refuse expired tokens, other issuers and audiences, tampering and garbage", async () => {
    const expired = await token({}, { exp: Math.floor(Date.now() / 1000) - 120 });
    const valid = await token();
    const [header, payload, signature] = valid.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), scope: "audit.read" })).toString("base64url")}.${signature}`;
    for (const bad of [
      expired,
      await token({}, { iss: "https://evil.example.com" }),
      await token({}, { aud: "another-service" }),
      forged,
      `${header}.${payload}.`,
      "a.b.c",
    ]) {
      assert.equal(await authenticator().authenticate(bad), undefined);
    }
  });

  it("should refuse algorithms that are not allowed, including none", async () => {
    const only = createJwtAuthenticator({ issuer, audience, jwksUrl, algorithms: ["ES256"], clockToleranceSeconds: 0 });
    assert.equal(await only.authenticate(await token()), undefined);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify({ iss: issuer, aud: audience, sub: "x", exp: 9999999999, scope: "sessions.read" })).toString("base64url")}.`;
    assert.equal(await authenticator().authenticate(unsigned), undefined);
  });

  it("should fetch the keys once and reuse them", async () => {
    const before = fetches;
    const shared = authenticator();
    for (let i = 0; i < 5; i++) assert.ok(await shared.authenticate(await token()));
    assert.equal(fetches - before, 1);
  });

  it("should tell JWTs from API keys by shape", () => {
    assert.equal(looksLikeJwt("eyJh.eyJz.c2ln"), true);
    assert.equal(looksLikeJwt("smk_abc"), false);
    assert.equal(looksLikeJwt("a.b"), false);
  });
});
