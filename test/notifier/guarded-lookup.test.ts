import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { createAddressPolicy, parseAddressRanges } from "../../src/domain/special-use-address.js";
import { guardedLookup, refusedAddressCode, type ResolveAll } from "../../src/notifier/guarded-lookup.js";
import { createLogoutPoster, type LogoutPoster } from "../../src/notifier/logout-poster.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";

const policy = createAddressPolicy();

/** A resolver that answers every name with these addresses, as a DNS server holding such records would. */
const resolving =
  (...addresses: string[]): ResolveAll =>
  (_hostname, _options, callback) =>
    callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 })));

function lookUp(resolver: ResolveAll, all: boolean): Promise<{ error?: NodeJS.ErrnoException; address?: string | LookupAddress[] }> {
  return new Promise((resolve) =>
    guardedLookup(policy, resolver)("rp.example", { all }, (error, address) => resolve(error ? { error } : { address })),
  );
}

// Each resolves to 127.0.0.1 or 169.254.169.254 in the end.
const disguised = [
  ["::ffff:127.0.0.1", "loopback (127.0.0.1 via IPv4-mapped)"],
  ["::127.0.0.1", "loopback (127.0.0.1 via IPv4-compatible)"],
  ["::ffff:0:127.0.0.1", "loopback (127.0.0.1 via IPv4-translated)"],
  ["2002:7f00:1::", "loopback (127.0.0.1 via 6to4)"],
  ["64:ff9b::127.0.0.1", "loopback (127.0.0.1 via NAT64)"],
  ["64:ff9b::169.254.169.254", "link-local (cloud metadata) (169.254.169.254 via NAT64)"],
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo"],
] as const;

describe("guardedLookup()", () => {
  it("should refuse a name whose every address is an IPv6 form of a special-use IPv4 address", async () => {
    for (const [address, why] of disguised) {
      for (const all of [true, false]) {
        const { error } = await lookUp(resolving(address), all);
        assert.equal(error?.code, refusedAddressCode, address);
        assert.equal(error?.message, `refused to connect to rp.example (${address}): ${why} address`);
      }
    }
  });

  it("should connect to the allowed addresses only, when a name has both kinds", async () => {
    const resolver = resolving("::ffff:127.0.0.1", "2002:7f00:1::", "93.184.216.34", "2606:4700::1111");
    assert.deepEqual((await lookUp(resolver, true)).address, [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:4700::1111", family: 6 },
    ]);
    assert.equal((await lookUp(resolver, false)).address, "93.184.216.34");
  });

  it("should pass resolver errors on", async () => {
    const failing: ResolveAll = (_h, _o, callback) => callback(Object.assign(new Error("no such name"), { code: "ENOTFOUND" }), []);
    assert.equal((await lookUp(failing, true)).error?.code, "ENOTFOUND");
  });

  describe("on a real connection", () => {
    let receiver: LogoutReceiver;
    before(async () => (receiver = await startReceiver()));
    after(() => receiver.close());

    const post = (resolver: ResolveAll, by = policy) =>
      new Promise<number | NodeJS.ErrnoException>((resolve) => {
        const request = http.request(`http://rp.example:${receiver.port}/logout`, { method: "POST", lookup: guardedLookup(by, resolver) });
        request.on("response", (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", resolve);
        request.end("logout_token=t");
      });

    it("should never open a connection to an IPv4-mapped loopback address that DNS hands out", async () => {
      const outcome = await post(resolving("::ffff:127.0.0.1"));
      assert.equal((outcome as NodeJS.ErrnoException).code, refusedAddressCode);
      assert.equal(receiver.received.length, 0);
    });

    it("should reach that address when the operator allows its IPv4 address", async () => {
      const ranges = parseAddressRanges("127.0.0.1");
      assert.ok("ranges" in ranges);
      assert.equal(await post(resolving("::ffff:127.0.0.1"), createAddressPolicy(ranges.ranges)), 200);
      assert.equal(receiver.received.length, 1);
    });
  });
});

describe("createLogoutPoster() with IP literals", () => {
  let receiver: LogoutReceiver;
  let strict: LogoutPoster;
  before(async () => {
    receiver = await startReceiver();
    strict = createLogoutPoster({ policy, timeoutMs: 1000, maxSocketsPerDestination: 2 });
  });
  after(async () => {
    strict.close();
    await receiver.close();
  });

  it("should refuse every IPv6 form of a special-use IPv4 address written into the URI, as final, sending nothing", async () => {
    for (const [address, why] of disguised) {
      const hostname = new URL(`http://[${address}]/`).hostname.slice(1, -1);
      assert.deepEqual(await strict.post(`http://[${address}]:${receiver.port}/never`, "t"), { error: `refused to connect to ${hostname}: ${why} address`, final: true }, address);
    }
    assert.equal(receiver.received.length, 0);
  });
});
