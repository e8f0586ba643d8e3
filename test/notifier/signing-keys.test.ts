import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { createLogoutTokenMinter } from "../../src/notifier/logout-token.js";
import { resolveSigningKeys, type SigningAlgorithm, type SigningKeys } from "../../src/notifier/signing-keys.js";
import { testBackends, type TestDatabase } from "../support/backends.js";

const privateParts = ["d", "p", "q", "dp", "dq", "qi"];

/** Signs a token with the active key and verifies it against the published keys, as a relying party would. */
async function roundTrip(keys: SigningKeys) {
  const minter = createLogoutTokenMinter(keys, "https://issuer.example");
  const minted = await minter.mint(
    { id: 1, clientId: "rp", subjectId: "alice", sessionId: "sid", reason: "admin_removal", attempts: 0, claimToken: "t" },
    { clientId: "rp", enabled: true, backchannelLogoutUri: "https://rp/logout", backchannelLogoutSessionRequired: true },
    new Date(),
  );
  assert.ok("token" in minted);
  const verified = await jwtVerify(minted.token, createLocalJWKSet(keys.jwks), { issuer: "https://issuer.example", audience: "rp" });
  return { header: verified.protectedHeader, payload: verified.payload };
}

for (const backend of await testBackends()) {
  describe(`resolveSigningKeys() (${backend.name})`, { skip: backend.skip }, () => {
    let db: TestDatabase;
    let dir: string;
    const file = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    before(async () => {
      db = await backend.open();
      dir = mkdtempSync(join(tmpdir(), "sm-keys-"));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await db?.drop();
    });

    it("should generate a key once, keep it in the database, and sign with it from then on", async () => {
      const first = await resolveSigningKeys({ files: [], alg: "RS256" }, db.stores.secrets);
      const again = await resolveSigningKeys({ files: [], alg: "RS256" }, db.stores.secrets);
      assert.equal(first.active.kid, again.active.kid);
      assert.deepEqual(first.jwks, again.jwks);
      assert.equal(first.jwks.keys.length, 1);
      assert.deepEqual(Object.keys(first.jwks.keys[0]!).sort(), ["alg", "e", "kid", "kty", "n", "use"]);
      assert.equal(first.active.alg, "RS256");
      const { header } = await roundTrip(first);
      assert.deepEqual(header, { alg: "RS256", kid: first.active.kid, typ: "logout+jwt" });
    });

    it("should generate a key of the configured algorithm", async () => {
      for (const alg of ["ES256", "PS256"] as SigningAlgorithm[]) {
        const keys = await resolveSigningKeys({ files: [], alg }, db.stores.secrets);
        assert.equal(keys.active.alg, alg);
        assert.equal(keys.jwks.keys[0]!.kty, alg === "ES256" ? "EC" : "RSA");
        assert.equal((await roundTrip(keys)).header.alg, alg);
      }
    });

    it("should read PEM, JWK and JWK Set files, publish every key with the active one first, and sign with the first private key", async () => {
      const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const retired = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const files = [
        file("retired.pub.pem", retired.publicKey.export({ type: "spki", format: "pem" }) as string),
        file("current.pem", rsa.privateKey.export({ type: "pkcs1", format: "pem" }) as string),
        file("next.json", JSON.stringify({ ...ec.privateKey.export({ format: "jwk" }), kid: "next-ec" })),
      ];
      const keys = await resolveSigningKeys({ files, alg: "PS256" }, db.stores.secrets);
      assert.equal(keys.jwks.keys.length, 3);
      assert.equal(keys.jwks.keys[0]!.kid, keys.active.kid);
      assert.equal(keys.active.alg, "PS256", "RSA files without an alg take the configured one");
      assert.deepEqual(keys.jwks.keys.map((k) => k.alg).sort(), ["ES256", "PS256", "PS256"]);
      for (const key of keys.jwks.keys) for (const part of privateParts) assert.equal(part in key, false, part);
      assert.equal((await roundTrip(keys)).header.kid, keys.active.kid);

      const switched = await resolveSigningKeys({ files, alg: "PS256", activeKid: "next-ec" }, db.stores.secrets);
      assert.equal(switched.active.kid, "next-ec");
      assert.equal(switched.jwks.keys[0]!.kid, "next-ec");
      const { header } = await roundTrip(switched);
      assert.equal(header.alg, "ES256");
      assert.equal(decodeProtectedHeader((await createLogoutTokenMinter(switched, undefined).mint(
        { id: 1, clientId: "rp", subjectId: "s", sessionId: "x", issuer: "https://i", reason: "expired", attempts: 0, claimToken: "t" },
        { clientId: "rp", enabled: true, backchannelLogoutSessionRequired: false, logoutTokenType: "JWT" },
        new Date(),
      ) as { token: string }).token).typ, "JWT");
    });

    it("should read a JWK Set and keep the kids and algorithms it names", async () => {
      const a = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const b = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const set = file("set.json", JSON.stringify({ keys: [
        { ...a.publicKey.export({ format: "jwk" }), kid: "old", alg: "RS256" },
        { ...b.privateKey.export({ format: "jwk" }), kid: "new", alg: "RS256" },
      ] }));
      const keys = await resolveSigningKeys({ files: [set], alg: "PS256" }, db.stores.secrets);
      assert.deepEqual(keys.jwks.keys.map((k) => [k.kid, k.alg]), [["new", "RS256"], ["old", "RS256"]]);
    });

    it("should refuse unusable key configurations with a message naming the problem", async () => {
      const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
      const ed = generateKeyPairSync("ed25519");
      const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
      const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const pem = (k: typeof rsa.privateKey) => k.export({ type: "pkcs8", format: "pem" }) as string;
      const cases: [string[], string | undefined, RegExp][] = [
        [[join(dir, "missing.pem")], undefined, /signing key file .*missing\.pem: ENOENT/],
        [[file("garbage.txt", "hello")], undefined, /garbage\.txt: not a PEM key, JWK or JWK Set/],
        [[file("weak.pem", pem(weak.privateKey))], undefined, /weak\.pem: RSA keys must have at least 2048 bits/],
        [[file("ed.pem", pem(ed.privateKey))], undefined, /ed\.pem: only RSA \(RS256, PS256\) and P-256 \(ES256\) keys are supported/],
        [[file("p384.pem", pem(p384.privateKey))], undefined, /p384\.pem: only RSA/],
        [[file("pub.pem", rsa.publicKey.export({ type: "spki", format: "pem" }) as string)], undefined, /no file holds a private key/],
        [[file("rsa.pem", pem(rsa.privateKey))], "nope", /no key has the kid nope/],
        [[file("rsa-es.json", JSON.stringify({ ...rsa.privateKey.export({ format: "jwk" }), alg: "ES256" }))], undefined, /an RSA key signs RS256 or PS256, not ES256/],
      ];
      for (const [files, activeKid, message] of cases) {
        await assert.rejects(resolveSigningKeys({ files, activeKid, alg: "RS256" }, db.stores.secrets), message, String(message));
      }
      const duplicate = file("dup.json", JSON.stringify({ keys: [{ ...rsa.publicKey.export({ format: "jwk" }), kid: "k" }, { ...rsa.privateKey.export({ format: "jwk" }), kid: "k" }] }));
      await assert.rejects(resolveSigningKeys({ files: [duplicate], alg: "RS256" }, db.stores.secrets), /two keys have the kid k/);
      const publicOnly = file("only-public.json", JSON.stringify({ ...rsa.publicKey.export({ format: "jwk" }), kid: "pub" }));
      await assert.rejects(resolveSigningKeys({ files: [publicOnly, file("x.pem", pem(rsa.privateKey))], activeKid: "pub", alg: "RS256" }, db.stores.secrets), /the key pub has no private part and cannot sign/);
    });
  });
}
