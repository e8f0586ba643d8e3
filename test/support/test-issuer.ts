import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import type { Config } from "../../src/server/config.js";

/** An identity provider's access-token side: a signing key and its JWK Set, published on loopback. */
export interface TestIssuer {
  /** The server settings that trust this issuer's tokens. */
  readonly config: Pick<Config, "jwtIssuer" | "jwtAudience" | "jwtJwksUrl" | "jwtAlgorithms">;
  /** A signed access token for `sub` with the space-separated `scope`, valid for ten minutes. */
  token(sub: string, scope: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts an issuer whose JWK Set is served over real HTTP on an ephemeral port. */
export async function startTestIssuer(issuer = "https://idp.example.com", audience = "session-management"): Promise<TestIssuer> {
  const keys = await generateKeyPair("ES256", { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: "idp-1", alg: "ES256", use: "sig" }] });
  const server = createServer((_request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    config: {
      jwtIssuer: issuer,
      jwtAudience: audience,
      jwtJwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
      jwtAlgorithms: "ES256",
    },
    token: (sub, scope) =>
      new SignJWT({ scope })
        .setProtectedHeader({ alg: "ES256", kid: "idp-1" })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(keys.privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
