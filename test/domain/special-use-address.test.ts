import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAddressPolicy, parseAddressRanges } from "../../src/domain/special-use-address.js";

const policy = createAddressPolicy();

describe("createAddressPolicy()", () => {
  it("should refuse loopback, link-local and cloud metadata addresses", () => {
    for (const [address, why] of [
      ["127.0.0.1", "loopback"],
      ["127.255.0.7", "loopback"],
      ["::1", "loopback"],
      ["169.254.169.254", "link-local (cloud metadata)"],
      ["fe80::1", "link-local"],
      ["fe80::1%eth0", "link-local"],
      ["fd00:ec2::254", "cloud metadata"],
      ["100.100.100.200", "shared address space"],
      ["0.0.0.0", "unspecified"],
      ["::", "unspecified"],
      ["224.0.0.1", "multicast"],
      ["ff02::1", "multicast"],
      ["255.255.255.255", "reserved"],
      ["192.0.2.10", "documentation"],
      ["2001:db8::1", "documentation"],
      ["198.18.0.1", "benchmarking"],
    ]) {
      assert.equal(policy.refusal(address!), why, address);
    }
  });

  it("should see IPv4 special-use addresses through their IPv4-mapped and NAT64 forms", () => {
    assert.equal(policy.refusal("::ffff:127.0.0.1"), "loopback");
    assert.equal(policy.refusal("::ffff:a9fe:a9fe"), "link-local (cloud metadata)");
    assert.equal(policy.refusal("64:ff9b::169.254.169.254"), "link-local (cloud metadata)");
  });

  it("should allow public and private-network addresses", () => {
    for (const address of ["93.184.216.34", "10.1.2.3", "172.16.0.1", "192.168.1.1", "2606:4700::1111", "fd12:3456::1", "::ffff:8.8.8.8"]) {
      assert.equal(policy.refusal(address), undefined, address);
    }
  });

  it("should allow special-use addresses an operator lists", () => {
    const ranges = parseAddressRanges("127.0.0.1, 169.254.0.0/16,::1");
    assert.ok("ranges" in ranges);
    const allowing = createAddressPolicy(ranges.ranges);
    for (const address of ["127.0.0.1", "169.254.1.1", "::1", "::ffff:127.0.0.1"]) assert.equal(allowing.refusal(address), undefined, address);
    assert.equal(allowing.refusal("127.0.0.2"), "loopback");
  });

  it("should refuse what is not an IP address", () => {
    assert.equal(policy.refusal("localhost"), "not an IP address");
  });
});

describe("parseAddressRanges()", () => {
  it("should accept addresses, CIDR ranges, spaces and empty entries", () => {
    assert.ok("ranges" in parseAddressRanges(" 10.0.0.0/8 , ,fd00::/8,192.168.1.1"));
    assert.ok("ranges" in parseAddressRanges(""));
  });

  it("should name the entry it cannot read", () => {
    for (const entry of ["localhost", "10.0.0.0/33", "::/129", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/", "1.2.3"]) {
      assert.deepEqual(parseAddressRanges(`::1,${entry}`), { error: `"${entry}" is not an IP address or CIDR range` }, entry);
    }
  });
});
