import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAddressPolicy, embeddedIpv4, parseAddressRanges } from "../../src/domain/special-use-address.js";

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

  it("should judge every IPv6 form that carries an IPv4 address as that IPv4 address", () => {
    for (const [address, why] of [
      ["::ffff:127.0.0.1", "loopback (127.0.0.1 via IPv4-mapped)"],
      ["::ffff:7f00:1", "loopback (127.0.0.1 via IPv4-mapped)"],
      ["::ffff:a9fe:a9fe", "link-local (cloud metadata) (169.254.169.254 via IPv4-mapped)"],
      ["::127.0.0.1", "loopback (127.0.0.1 via IPv4-compatible)"],
      ["::7f00:1", "loopback (127.0.0.1 via IPv4-compatible)"],
      ["::169.254.169.254", "link-local (cloud metadata) (169.254.169.254 via IPv4-compatible)"],
      ["::ffff:0:127.0.0.1", "loopback (127.0.0.1 via IPv4-translated)"],
      ["::ffff:0:7f00:1", "loopback (127.0.0.1 via IPv4-translated)"],
      ["::ffff:0:a9fe:a9fe", "link-local (cloud metadata) (169.254.169.254 via IPv4-translated)"],
      ["2002:7f00:1::", "loopback (127.0.0.1 via 6to4)"],
      ["2002:7f00:1:1234::5", "loopback (127.0.0.1 via 6to4)"],
      ["2002:a9fe:a9fe::", "link-local (cloud metadata) (169.254.169.254 via 6to4)"],
      ["2002:0:0::", "unspecified (0.0.0.0 via 6to4)"],
      ["64:ff9b::127.0.0.1", "loopback (127.0.0.1 via NAT64)"],
      ["64:ff9b::7f00:1", "loopback (127.0.0.1 via NAT64)"],
      ["64:ff9b::169.254.169.254", "link-local (cloud metadata) (169.254.169.254 via NAT64)"],
      ["64:ff9b::6464:6464", "shared address space (100.100.100.100 via NAT64)"],
      ["64:ff9b::e000:1", "multicast (224.0.0.1 via NAT64)"],
    ]) {
      assert.equal(policy.refusal(address!), why, address);
    }
  });

  it("should refuse Teredo whole, and IPv6 benchmarking space", () => {
    for (const address of ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::1", "2001:0:ffff:ffff::"]) {
      assert.equal(policy.refusal(address), "Teredo", address);
    }
    assert.equal(policy.refusal("2001:2::1"), "benchmarking");
  });

  it("should keep IPv6's own unspecified and loopback addresses apart from the IPv4-compatible form", () => {
    assert.equal(policy.refusal("::"), "unspecified");
    assert.equal(policy.refusal("::1"), "loopback");
    assert.equal(embeddedIpv4("::1"), undefined);
    assert.equal(embeddedIpv4("::"), undefined);
  });

  it("should allow the IPv6 forms of public and private-network IPv4 addresses", () => {
    for (const address of ["::ffff:8.8.8.8", "::ffff:10.0.0.1", "::8.8.8.8", "::ffff:0:8.8.8.8", "2002:808:808::1", "2002:c0a8:101::1", "64:ff9b::8.8.8.8", "64:ff9b::10.1.2.3"]) {
      assert.equal(policy.refusal(address), undefined, address);
    }
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
    for (const address of ["127.0.0.1", "169.254.1.1", "::1", "::ffff:127.0.0.1", "::127.0.0.1", "2002:7f00:1::", "64:ff9b::a9fe:101"]) {
      assert.equal(allowing.refusal(address), undefined, address);
    }
    assert.equal(allowing.refusal("127.0.0.2"), "loopback");
    assert.equal(allowing.refusal("2002:7f00:2::"), "loopback (127.0.0.2 via 6to4)");
  });

  it("should refuse what is not an IP address", () => {
    assert.equal(policy.refusal("localhost"), "not an IP address");
  });
});

describe("embeddedIpv4()", () => {
  it("should find the IPv4 address in each form, in hex or dotted spelling, with or without a zone", () => {
    for (const [address, ipv4, form] of [
      ["::ffff:1.2.3.4", "1.2.3.4", "IPv4-mapped"],
      ["0:0:0:0:0:ffff:102:304", "1.2.3.4", "IPv4-mapped"],
      ["::1.2.3.4", "1.2.3.4", "IPv4-compatible"],
      ["::2", "0.0.0.2", "IPv4-compatible"],
      ["::ffff:0:1.2.3.4", "1.2.3.4", "IPv4-translated"],
      ["64:ff9b::1.2.3.4", "1.2.3.4", "NAT64"],
      ["64:ff9b:0:0:0:0:102:304", "1.2.3.4", "NAT64"],
      ["2002:102:304::", "1.2.3.4", "6to4"],
      ["2002:102:304:5:6:7:8:9", "1.2.3.4", "6to4"],
      ["2002:102:304::1%eth0", "1.2.3.4", "6to4"],
    ]) {
      assert.deepEqual(embeddedIpv4(address!), { ipv4, form }, address);
    }
  });

  it("should find none in other addresses", () => {
    for (const address of ["2606:4700::1111", "fe80::1", "64:ff9b:1::1.2.3.4", "64:ff9b::1:0:102:304", "1:2:3:4:5:6:7:8", "::1:0:0:0"]) {
      assert.equal(embeddedIpv4(address), undefined, address);
    }
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
