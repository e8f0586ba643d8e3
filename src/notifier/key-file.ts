import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

/** A key read from a file: always its public half, and its private half when the file holds it. */
export interface FileKey {
  publicKey: KeyObject;
  privateKey?: KeyObject;
  /** The `kid` and `alg` the file gave the key (JWK files only). */
  kid?: string;
  alg?: string;
}

/**
 * Reads the keys in a file: a PEM key (PKCS#8, PKCS#1, SEC1 or SPKI), a JWK,
 * or a JWK Set. A public key alone can be published but cannot sign, which is
 * how a retired key stays verifiable for a while after rotation. Errors name
 * the file.
 */
export function readKeyFile(path: string): FileKey[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`signing key file ${path}: ${(error as Error).message}`);
  }
  try {
    if (text.trimStart().startsWith("-----BEGIN")) return [fromPem(text)];
    const json = JSON.parse(text) as JsonWebKey & { keys?: JsonWebKey[] };
    return Array.isArray(json.keys) ? json.keys.map(fromJwk) : [fromJwk(json)];
  } catch (error) {
    throw new Error(`signing key file ${path}: not a PEM key, JWK or JWK Set (${(error as Error).message})`);
  }
}

function fromPem(pem: string): FileKey {
  if (/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    const privateKey = createPrivateKey(pem);
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
  return { publicKey: createPublicKey(pem) };
}

function fromJwk(jwk: JsonWebKey): FileKey {
  const named = { ...(typeof jwk.kid === "string" ? { kid: jwk.kid } : {}), ...(typeof jwk.alg === "string" ? { alg: jwk.alg } : {}) };
  if (jwk.d !== undefined) {
    const privateKey = createPrivateKey({ key: jwk, format: "jwk" });
    return { privateKey, publicKey: createPublicKey(privateKey), ...named };
  }
  return { publicKey: createPublicKey({ key: jwk, format: "jwk" }), ...named };
}
