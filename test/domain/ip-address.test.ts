import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ipText, parseIpAddress, parseIpRange } from "../../src/domain/ip-address.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const rejected = (field: string, message: RegExp) => ({ name: "DomainError", code: "invalid_argument", field, message });

describe("parseIpAddress()", () => {
  it("should spell every address canonically, IPv4 and IPv4-mapped IPv6 alike", () => {
    const cases: [string, string][] = [
      ["203.0.113.7", "203.0.113.7"],
      ["::ffff:203.0.113.7", "203.0.113.7"],
      ["2001:DB8::1", "2001:db8::1"],
      ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
      ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
      ["::", "::"],
      ["::1", "::1"],
    ];
    for (const [input, text] of cases) assert.equal(parseIpAddress("ip", input).text, text, input);
    assert.equal(hex(parseIpAddress("ip", "203.0.113.7").key), "00000000000000000000ffffcb007107");
    assert.equal(ipText(parseIpAddress("ip", "2001:db8::1").key), "2001:db8::1");
  });

  it("should refuse anything but an address literal, naming the field", () => {
    for (const value of ["x", "203.0.113", "203.0.113.7:443", "fe80::1%eth0", "[::1]", " 203.0.113.7", "999.0.0.1"]) {
      assert.throws(() => parseIpAddress("metadata.sign_in_ip_address", value), rejected("metadata.sign_in_ip_address", /must be an IPv4 or IPv6 address/), value);
    }
  });
});

describe("parseIpRange()", () => {
  it("should turn a CIDR block into the key range of its addresses", () => {
    const v4 = parseIpRange("ip_address", "203.0.113.0/24");
    assert.deepEqual([hex(v4.from), hex(v4.to), v4.text], ["00000000000000000000ffffcb007100", "00000000000000000000ffffcb0071ff", "203.0.113.0/24"]);
    const v6 = parseIpRange("ip_address", "2001:DB8::/32");
    assert.deepEqual([hex(v6.from), hex(v6.to), v6.text], ["20010db8000000000000000000000000", "20010db8ffffffffffffffffffffffff", "2001:db8::/32"]);
    const exact = parseIpRange("ip_address", "::ffff:10.0.0.1");
    assert.deepEqual([hex(exact.from), exact.text], [hex(exact.to), "10.0.0.1"]);
  });

  it("should refuse invalid blocks with INVALID_ARGUMENT naming ip_address", () => {
    assert.throws(() => parseIpRange("ip_address", "203.0.113.1/24"), rejected("ip_address", /host bits/));
    assert.throws(() => parseIpRange("ip_address", "10.0.0.0/33"), rejected("ip_address", /at most 32/));
    assert.throws(() => parseIpRange("ip_address", "::/129"), rejected("ip_address", /at most 128/));
    for (const value of ["10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "/8", "x/8", "10.0.0.0/8/8"]) {
      assert.throws(() => parseIpRange("ip_address", value), rejected("ip_address", /^ip_address: /), value);
    }
  });
});
