import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reencodeGrpcMessage, withReencodedGrpcMessage } from "../../src/server/grpc-message-encoding.js";

describe("reencodeGrpcMessage()", () => {
  it("should leave printable ASCII but % as it is", () => {
    assert.equal(reencodeGrpcMessage(encodeURIComponent("count_requested: must not be negative")), "count_requested: must not be negative");
    assert.equal(reencodeGrpcMessage(encodeURIComponent("a/b?c=d&e#f [1] @x $y, z;")), "a/b?c=d&e#f [1] @x $y, z;");
  });

  it("should percent-encode %, control characters and every byte of non-ASCII characters", () => {
    assert.equal(reencodeGrpcMessage(encodeURIComponent("100% done")), "100%25 done");
    assert.equal(reencodeGrpcMessage(encodeURIComponent("a\nb")), "a%0Ab");
    assert.equal(reencodeGrpcMessage(encodeURIComponent("Zoë 🙂")), "Zo%C3%AB %F0%9F%99%82");
    // What a spec-following client reads back.
    assert.equal(decodeURIComponent(reencodeGrpcMessage(encodeURIComponent("Zoë: 100% 🙂"))), "Zoë: 100% 🙂");
  });

  it("should keep a value it cannot decode", () => {
    assert.equal(reencodeGrpcMessage("%E0%A4%A"), "%E0%A4%A");
  });
});

describe("withReencodedGrpcMessage()", () => {
  it("should rewrite grpc-message only, and leave headers without one alone", () => {
    assert.deepEqual(withReencodedGrpcMessage({ "grpc-status": "3", "grpc-message": "key%3A%20bad" }), { "grpc-status": "3", "grpc-message": "key: bad" });
    const plain = { "content-type": "application/grpc" };
    assert.equal(withReencodedGrpcMessage(plain), plain);
    assert.equal(withReencodedGrpcMessage(undefined), undefined);
  });
});
