import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

// CI installs every toolchain (.ci/run): there, a missing one fails the suite instead of skipping it.
const required = process.env.CI === "true";

/**
 * The Debian Python with grpcio and protobuf, for suites that run the
 * generated Python client. Always `/usr/bin/python3`: a python3 earlier on
 * PATH (pyenv, venv) does not see the Debian packages. When it is missing,
 * returns a skip reason naming the packages to install; under CI=true throws
 * instead, so the suite fails.
 */
export function pythonToolchain(): { python: string } | { skip: string } {
  const python = "/usr/bin/python3";
  const probe = spawnSync(python, ["-c", "import grpc, google.protobuf"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status === 0) return { python };
  const why = probe.error?.message ?? probe.stderr.trim().split("\n").pop() ?? `exit status ${probe.status}`;
  return missing(`${python} cannot import grpc and google.protobuf (${why}): apt-get install python3 python3-grpcio python3-protobuf`);
}

/**
 * The Debian Go with the gRPC and protobuf sources under /usr/share/gocode
 * (GOPATH layout, github.com/golang/protobuf 1.4 or later), for suites that
 * build the generated Go client. When it is
 * missing, returns a skip reason naming the packages to install; under
 * CI=true throws instead, so the suite fails.
 */
export function goToolchain(): { go: string } | { skip: string } {
  const go = "/usr/bin/go";
  const packages = "apt-get install golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev";
  const probe = spawnSync(go, ["version"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status !== 0) return missing(`${go} does not run (${probe.error?.message ?? probe.stderr.trim()}): ${packages}`);
  for (const source of ["google.golang.org/grpc", "google.golang.org/protobuf", "github.com/golang/protobuf"]) {
    if (!existsSync(`/usr/share/gocode/src/${source}`)) return missing(`${source} is not under /usr/share/gocode/src: ${packages}`);
  }
  // gRPC-Go 1.33 encodes messages through github.com/golang/protobuf. Its 1.3
  // release (golang-github-golang-protobuf-1-3-dev, which apt picks for
  // golang-google-grpc-dev by default) cannot decode protoc-gen-go 1.28
  // messages and panics at the first response; 1.4+ delegates to
  // google.golang.org/protobuf.
  const legacy = "/usr/share/gocode/src/github.com/golang/protobuf/proto/proto.go";
  if (!existsSync(legacy) || !readFileSync(legacy, "utf8").includes('"google.golang.org/protobuf/proto"')) {
    return missing(`github.com/golang/protobuf under /usr/share/gocode is older than 1.4 and cannot decode the generated messages: ${packages}`);
  }
  return { go };
}

/**
 * Debian's Chromium, for suites that drive the admin page in a headless
 * browser with playwright-core. When it is missing, returns a skip reason
 * naming the package to install; under CI=true throws instead, so the suite
 * fails.
 */
export function chromiumBrowser(): { executablePath: string } | { skip: string } {
  const executablePath = "/usr/bin/chromium";
  const probe = spawnSync(executablePath, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status === 0 && /chromium/i.test(probe.stdout)) return { executablePath };
  const why = probe.error?.message ?? (probe.stderr.trim() || `exit status ${probe.status}`);
  return missing(`${executablePath} does not run (${why}): apt-get install chromium`);
}

function missing(reason: string): { skip: string } {
  if (required) throw new Error(`CI=true requires the toolchain: ${reason}`);
  return { skip: reason };
}
