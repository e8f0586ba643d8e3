import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";
import type { SecretStore } from "../store/secret-store.js";
import { readKeyFile, type FileKey } from "./key-file.js";

/** The JWS algorithms logout tokens can be signed with. */
export type SigningAlgorithm = "RS256" | "ES256" | "PS256";

/** The key that signs logout tokens. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
}

/** The active signing key, and the public keys relying parties verify with. */
export interface SigningKeys {
  active: SigningKey;
  /** The JWK Set to publish: public halves only, the active key first. */
  jwks: { keys: JWK[] };
}

/** Where the keys come from. */
export interface SigningKeyOptions {
  /** PEM or JWK files; none means a key generated once and kept in the database. */
  files: readonly string[];
  /** The `kid` of the key that signs; by default the first private key in the files. */
  activeKid?: string;
  /** The algorithm of generated keys and of RSA keys whose file does not name one. */
  alg: SigningAlgorithm;
}

/**
 * Resolves the signing keys. With files, every key in them is published (for
 * rotation: publish the next key before making it active, keep the previous
 * one until tokens signed with it have expired) and one private key signs.
 * Without files, a key is generated on first start and kept in the database,
 * so every instance sharing it signs with the same key across restarts. Key
 * ids are the JWK thumbprints (RFC 7638) unless a JWK file names its own.
 */
export async function resolveSigningKeys(options: SigningKeyOptions, secrets: SecretStore): Promise<SigningKeys> {
  const fileKeys = options.files.flatMap((path) => readKeyFile(path).map((key) => ({ path, key })));
  if (fileKeys.length === 0) {
    const pem = await secrets.getOrCreate(`logout-token-key-${options.alg.toLowerCase()}`, () => generatePem(options.alg));
    const privateKey = createPrivateKey(pem);
    fileKeys.push({ path: "database", key: { privateKey, publicKey: createPublicKey(privateKey) } });
  }
  const keys = await Promise.all(fileKeys.map(({ path, key }) => describe(key, path, options.alg)));
  const duplicate = keys.find((key, i) => keys.findIndex((other) => other.jwk.kid === key.jwk.kid) !== i);
  if (duplicate) throw new Error(`signing keys: two keys have the kid ${duplicate.jwk.kid}`);
  const active =
    options.activeKid === undefined ? keys.find((key) => key.privateKey) : keys.find((key) => key.jwk.kid === options.activeKid);
  if (active === undefined) {
    throw new Error(options.activeKid === undefined ? "signing keys: no file holds a private key" : `signing keys: no key has the kid ${options.activeKid}`);
  }
  if (active.privateKey === undefined) throw new Error(`signing keys: the key ${active.jwk.kid} has no private part and cannot sign`);
  return {
    active: { kid: active.jwk.kid!, alg: active.jwk.alg as SigningAlgorithm, privateKey: active.privateKey },
    jwks: { keys: [active.jwk, ...keys.filter((key) => key !== active).map((key) => key.jwk)] },
  };
}

function generatePem(alg: SigningAlgorithm): Buffer {
  const { privateKey } =
    alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("rsa", { modulusLength: 2048 });
  return Buffer.from(privateKey.export({ type: "pkcs8", format: "pem" }));
}

// The public JWK to publish, with its kid and algorithm; refuses keys that
// cannot make RS256, PS256 or ES256 signatures.
async function describe(key: FileKey, path: string, configuredAlg: SigningAlgorithm): Promise<{ jwk: JWK; privateKey?: KeyObject }> {
  const details = key.publicKey.asymmetricKeyDetails;
  let alg: SigningAlgorithm;
  if (key.publicKey.asymmetricKeyType === "rsa") {
    if ((details?.modulusLength ?? 0) < 2048) throw new Error(`signing key ${path}: RSA keys must have at least 2048 bits`);
    alg = (key.alg ?? (configuredAlg === "ES256" ? "RS256" : configuredAlg)) as SigningAlgorithm;
    if (alg !== "RS256" && alg !== "PS256") throw new Error(`signing key ${path}: an RSA key signs RS256 or PS256, not ${alg}`);
  } else if (key.publicKey.asymmetricKeyType === "ec" && details?.namedCurve === "prime256v1") {
    alg = "ES256";
    if (key.alg !== undefined && key.alg !== alg) throw new Error(`signing key ${path}: a P-256 key signs ES256, not ${key.alg}`);
  } else {
    throw new Error(`signing key ${path}: only RSA (RS256, PS256) and P-256 (ES256) keys are supported`);
  }
  if (key.publicKey.type !== "public") throw new Error(`signing key ${path}: expected the public half`);
  const exported = key.publicKey.export({ format: "jwk" }) as JWK;
  const kid = key.kid ?? (await calculateJwkThumbprint(exported));
  return { jwk: { ...exported, kid, alg, use: "sig" }, privateKey: key.privateKey };
}
