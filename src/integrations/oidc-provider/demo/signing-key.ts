import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";

/**
 * A fresh RS256 private key as a JWK with its thumbprint as `kid`. The
 * provider signs ID tokens with it and the service signs logout tokens with
 * it, so relying parties verify both against the provider's JWK Set.
 */
export async function createSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: "RS256", use: "sig" };
}
