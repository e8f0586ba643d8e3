import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM files made for one test run: a CA, a server certificate for 127.0.0.1, and client certificates. */
export interface TestCertificates {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** Paths of a client certificate and key signed by the CA, for the given common name. */
  client(commonName: string, organization?: string): { cert: string; key: string };
  /**
   * A client certificate signed by the CA with the given subject alternative
   * names, in openssl's syntax ("URI:spiffe://example.org/ns/a/sa/b,DNS:b"),
   * or none when empty.
   */
  clientWithNames(commonName: string, altNames: string): { cert: string; key: string };
  /** A client certificate signed by a CA the server does not trust. */
  foreignClient(commonName: string): { cert: string; key: string };
  remove(): void;
}

/** Makes the certificates with the openssl command line (EC P-256, valid for a day). */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "sm-certs-"));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  const key = (name: string) => openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path(name));
  const selfSignedCa = (name: string) => {
    key(`${name}.key`);
    openssl("req", "-x509", "-new", "-key", path(`${name}.key`), "-subj", `/CN=${name}`, "-days", "1", "-out", path(`${name}.pem`));
  };
  const signed = (name: string, subject: string, ca: string, extensions: string) => {
    key(`${name}.key`);
    openssl("req", "-new", "-key", path(`${name}.key`), "-subj", subject, "-out", path(`${name}.csr`));
    writeFileSync(path(`${name}.ext`), extensions);
    openssl(
      "x509", "-req", "-in", path(`${name}.csr`), "-CA", path(`${ca}.pem`), "-CAkey", path(`${ca}.key`),
      "-CAcreateserial", "-days", "1", "-extfile", path(`${name}.ext`), "-out", path(`${name}.pem`),
    );
    return { cert: path(`${name}.pem`), key: path(`${name}.key`) };
  };
  selfSignedCa("test-ca");
  selfSignedCa("foreign-ca");
  const server = signed("server", "/CN=localhost", "test-ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  let n = 0;
  return {
    dir,
    caCert: path("test-ca.pem"),
    serverCert: server.cert,
    serverKey: server.key,
    client: (commonName, organization) =>
      signed(`client-${++n}`, `/CN=${commonName}${organization ? `/O=${organization}` : ""}`, "test-ca", "extendedKeyUsage=clientAuth\n"),
    clientWithNames: (commonName, altNames) =>
      signed(`client-${++n}`, `/CN=${commonName}`, "test-ca", `extendedKeyUsage=clientAuth\n${altNames === "" ? "" : `subjectAltName=${altNames}\n`}`),
    foreignClient: (commonName) => signed(`foreign-${++n}`, `/CN=${commonName}`, "foreign-ca", "extendedKeyUsage=clientAuth\n"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Reads a PEM file. */
export function pem(file: string): Buffer {
  return readFileSync(file);
}
