import { configureTextEncoding, getTextEncoding } from "@bufbuild/protobuf/wire";

/**
 * Has protobuf-es encode strings with Node's Buffer instead of TextEncoder.
 * TextEncoder gives every string an ArrayBuffer of its own; Buffer.from
 * slices short strings out of a shared pool, and every response encodes a
 * few strings per session. The bytes are the same: both write UTF-8 and
 * replace lone surrogates with U+FFFD. Decoding and validation stay as they are.
 */
export function useBufferTextEncoding(): void {
  const standard = getTextEncoding();
  configureTextEncoding({
    encodeUtf8: (text) => Buffer.from(text, "utf8"),
    decodeUtf8: (bytes, strict) => standard.decodeUtf8(bytes, strict),
    checkUtf8: (text) => standard.checkUtf8(text),
  });
}
