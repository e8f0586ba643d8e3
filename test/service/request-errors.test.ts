import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { isRequestReadError, requestErrorStatus, wireFormatOf } from "../../src/service/request-errors.js";

const type = "sessionmanagement.v1.RemoveSessionsRequest";
const binary = { protocol: "grpc", json: false } as const;

describe("wireFormatOf()", () => {
  it("should tell the protocols and encodings apart by content type", () => {
    assert.deepEqual(wireFormatOf("application/grpc"), { protocol: "grpc", json: false });
    assert.deepEqual(wireFormatOf("application/grpc+json"), { protocol: "grpc", json: true });
    assert.deepEqual(wireFormatOf("application/grpc-web+proto"), { protocol: "grpc-web", json: false });
    assert.deepEqual(wireFormatOf("application/json; charset=utf-8"), { protocol: "connect", json: true });
    assert.deepEqual(wireFormatOf("application/connect+proto"), { protocol: "connect", json: false });
    assert.deepEqual(wireFormatOf(null), { protocol: "connect", json: false });
  });
});

describe("requestErrorStatus()", () => {
  it("should answer a message that does not decode with INVALID_ARGUMENT, without the parser's words", () => {
    const status = requestErrorStatus(new ConnectError("parse binary: premature EOF", Code.Internal), type, binary);
    assert.equal(status.code, Code.InvalidArgument);
    assert.equal(status.rawMessage, `malformed request: not a valid ${type} in binary Protobuf`);
    const json = requestErrorStatus(new ConnectError("Unexpected end of JSON input", Code.InvalidArgument), type, { protocol: "connect", json: true });
    assert.equal(json.rawMessage, `malformed request: not a valid ${type} in JSON`);
  });

  it("should name the field the JSON parser names, without its reason", () => {
    const status = requestErrorStatus(new ConnectError(`cannot decode field ${type}.subject_id from JSON: 5`, Code.InvalidArgument), type, { protocol: "connect", json: true });
    assert.equal(status.rawMessage, "malformed request: subject_id: not a valid value");
  });

  it("should answer a compressed flag without an encoding as each protocol's spec says", () => {
    const error = () => new ConnectError("received compressed envelope, but do not know how to decompress", Code.Internal);
    assert.equal(requestErrorStatus(error(), type, binary).code, Code.Internal);
    assert.equal(requestErrorStatus(error(), type, { protocol: "grpc-web", json: false }).code, Code.Internal);
    assert.equal(requestErrorStatus(error(), type, { protocol: "connect", json: false }).code, Code.InvalidArgument);
  });

  it("should keep the framework's own protocol, size, deadline and compression errors", () => {
    for (const error of [
      new ConnectError("protocol error: promised 10 bytes in enveloped message, got 5 bytes", Code.InvalidArgument),
      new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented),
      new ConnectError("message size 5242880 is larger than configured readMaxBytes 4194304", Code.ResourceExhausted),
      new ConnectError('unknown compression "zstd": supported encodings are gzip, br', Code.Unimplemented),
      new ConnectError("timeout 400000ms must be <= 300000", Code.InvalidArgument),
      new ConnectError("the operation timed out", Code.DeadlineExceeded),
    ]) {
      assert.equal(requestErrorStatus(error, type, binary), error);
    }
    const decompression = requestErrorStatus(new ConnectError("decompression failed", Code.Internal), type, binary);
    assert.deepEqual([decompression.code, decompression.rawMessage], [Code.InvalidArgument, "decompression failed"]);
  });
});

describe("isRequestReadError()", () => {
  it("should recognise the framework's failures to read a message, and nothing else", () => {
    assert.ok(isRequestReadError(new ConnectError("parse binary: illegal tag: field no 0 wire type 7", Code.Internal)));
    assert.ok(isRequestReadError(new ConnectError(`cannot decode message ${type} from JSON: 1`, Code.InvalidArgument)));
    assert.ok(isRequestReadError(new ConnectError("Unexpected token", Code.InvalidArgument, undefined, undefined, new SyntaxError("Unexpected token"))));
    assert.ok(!isRequestReadError(new ConnectError("internal error", Code.Internal)));
    assert.ok(!isRequestReadError(new Error("parse binary: no")));
  });
});
