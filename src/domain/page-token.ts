import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * The position a QuerySessions page token carries: the first and last session
 * of the page it was issued with and that page's number in the walk. The
 * token is bound to the filter and page size through `binding`. A walk over
 * a time index also carries the first and last session's value of that
 * column (milliseconds, negated on a newest-first walk).
 */
export interface PagePosition {
  firstPk: number;
  lastPk: number;
  page: number;
  firstValue?: number;
  lastValue?: number;
}

/** Signs and verifies page tokens with a server secret. */
export interface PageTokenCodec {
  encode(position: PagePosition, binding: string): string;
  /** Returns the position, or an error message suitable for the caller. */
  decode(token: string, binding: string): { position: PagePosition; error?: undefined } | { error: string };
}

// Version 1: a walk in pk order. Version 2 adds the first and last values of a walk over a time index.
const version = 1;
const valuedVersion = 2;
const digestBytes = 12;
const macBytes = 16;
// version, binding digest, first pk, last pk, page
const payloadBytes = 1 + digestBytes + 8 + 8 + 4;
// ... first value, last value (signed)
const valuedPayloadBytes = payloadBytes + 8 + 8;

/**
 * Creates a codec whose tokens are valid for every instance configured with
 * the same secret, across restarts. Tokens are base64url: a small binary
 * payload and a truncated HMAC-SHA256 over it.
 */
export function createPageTokenCodec(secret: Uint8Array): PageTokenCodec {
  if (secret.byteLength < 32) throw new Error("page token secret must be at least 32 bytes");
  const key = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "sessionmanagement page token v1", 32));
  const mac = (payload: Buffer) => createHmac("sha256", key).update(payload).digest().subarray(0, macBytes);

  return {
    encode(position, binding) {
      const valued = position.firstValue !== undefined && position.lastValue !== undefined;
      const payload = Buffer.alloc(valued ? valuedPayloadBytes : payloadBytes);
      payload.writeUInt8(valued ? valuedVersion : version, 0);
      bindingDigest(binding).copy(payload, 1);
      payload.writeBigUInt64BE(BigInt(position.firstPk), 1 + digestBytes);
      payload.writeBigUInt64BE(BigInt(position.lastPk), 1 + digestBytes + 8);
      payload.writeUInt32BE(position.page, 1 + digestBytes + 16);
      if (valued) {
        payload.writeBigInt64BE(BigInt(position.firstValue!), payloadBytes);
        payload.writeBigInt64BE(BigInt(position.lastValue!), payloadBytes + 8);
      }
      return Buffer.concat([payload, mac(payload)]).toString("base64url");
    },
    decode(token, binding) {
      const raw = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url") : Buffer.alloc(0);
      // Re-encoding must give the same text: base64 leaves spare bits in the
      // last character, and a token has exactly one valid spelling.
      const size = raw.length > 0 && raw.readUInt8(0) === valuedVersion ? valuedPayloadBytes : payloadBytes;
      if (raw.length !== size + macBytes || ![version, valuedVersion].includes(raw.readUInt8(0)) || raw.toString("base64url") !== token) {
        return { error: "is not a valid results token" };
      }
      const payload = raw.subarray(0, size);
      if (!timingSafeEqual(mac(payload), raw.subarray(size))) {
        return { error: "is not a valid results token" };
      }
      if (!payload.subarray(1, 1 + digestBytes).equals(bindingDigest(binding))) {
        return { error: "was issued for a different filter or page size" };
      }
      const position: PagePosition = {
        firstPk: Number(payload.readBigUInt64BE(1 + digestBytes)),
        lastPk: Number(payload.readBigUInt64BE(1 + digestBytes + 8)),
        page: payload.readUInt32BE(1 + digestBytes + 16),
      };
      if (size === valuedPayloadBytes) {
        position.firstValue = Number(payload.readBigInt64BE(payloadBytes));
        position.lastValue = Number(payload.readBigInt64BE(payloadBytes + 8));
      }
      return { position };
    },
  };
}

function bindingDigest(binding: string): Buffer {
  return createHash("sha256").update(binding).digest().subarray(0, digestBytes);
}
