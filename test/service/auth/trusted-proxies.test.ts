import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createContextValues, type UnaryRequest, type UnaryResponse } from "@connectrpc/connect";
import { pino } from "pino";
import { parseAddressRanges } from "../../../src/domain/special-use-address.js";
import { forwardedIdentityKey, peerAddressKey, trustedProxyInterceptor } from "../../../src/service/auth/trusted-proxies.js";

const header = "By=spiffe://example.org/ns/sm/sa/server;URI=spiffe://example.org/ns/admin/sa/console";

/** Runs the interceptor on a call from `peer` with the header; returns the forwarded SPIFFE ID the call went on with, and the log lines. */
async function forwardedFor(trusted: string | undefined, peer: string | undefined, value: string | null = header) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const ranges = trusted === undefined ? undefined : (parseAddressRanges(trusted) as { ranges: import("node:net").BlockList }).ranges;
  const contextValues = createContextValues();
  contextValues.set(peerAddressKey, peer);
  const request = {
    header: new Headers(value === null ? {} : { "x-forwarded-client-cert": value }),
    contextValues,
    service: { typeName: "sessionmanagement.v1.SessionManagement" },
    method: { name: "QuerySessions" },
  } as unknown as UnaryRequest;
  let seen: string | undefined;
  await trustedProxyInterceptor(ranges, logger)(async (r) => {
    seen = r.contextValues.get(forwardedIdentityKey)?.id;
    return {} as UnaryResponse;
  })(request);
  return { id: seen, lines };
}

describe("trustedProxyInterceptor()", () => {
  it("should take the SPIFFE ID from a trusted proxy, also on a dual-stack socket", async () => {
    assert.equal((await forwardedFor("10.0.0.0/8", "10.1.2.3")).id, "spiffe://example.org/ns/admin/sa/console");
    assert.equal((await forwardedFor("10.0.0.0/8", "::ffff:10.1.2.3")).id, "spiffe://example.org/ns/admin/sa/console");
    assert.equal((await forwardedFor("fd00::/8", "fd00::7")).id, "spiffe://example.org/ns/admin/sa/console");
  });

  it("should ignore and log the header from any other peer, and always when no proxy is trusted", async () => {
    for (const [trusted, peer] of [["10.0.0.0/8", "192.168.1.1"], ["10.0.0.0/8", undefined], [undefined, "10.1.2.3"], [undefined, "127.0.0.1"]] as const) {
      const { id, lines } = await forwardedFor(trusted, peer);
      assert.equal(id, undefined, `${trusted} ${peer}`);
      assert.equal(lines.length, 1);
      assert.match(String(lines[0]!.msg), /x-forwarded-client-cert ignored: the peer is not a trusted proxy/);
    }
  });

  it("should say nothing about calls without the header", async () => {
    assert.deepEqual(await forwardedFor(undefined, "10.1.2.3", null), { id: undefined, lines: [] });
  });
});
