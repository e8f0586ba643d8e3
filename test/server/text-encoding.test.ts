import assert from "node:assert/strict";
import { after, test } from "node:test";
import { configureTextEncoding, getTextEncoding } from "@bufbuild/protobuf/wire";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { UserSessionSchema } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { useBufferTextEncoding } from "../../src/server/text-encoding.js";

const standard = getTextEncoding();
after(() => configureTextEncoding(standard));

const texts = ["", "alice", "Zoë Ångström", "名前", "emoji 👩‍💻", "lone \uD800 surrogate", "x".repeat(10_000)];

test("messages encode to the same bytes with Buffer as with TextEncoder", () => {
  const messages = texts.map((text) => create(UserSessionSchema, { subjectId: text, displayName: text, clientIds: [text, "c"] }));
  configureTextEncoding(standard);
  const expected = messages.map((m) => toBinary(UserSessionSchema, m));
  useBufferTextEncoding();
  for (const [i, m] of messages.entries()) {
    const bytes = toBinary(UserSessionSchema, m);
    assert.deepEqual(Buffer.from(bytes), Buffer.from(expected[i]!), texts[i]);
    assert.equal(fromBinary(UserSessionSchema, bytes).subjectId, texts[i]!.replace("\uD800", "\uFFFD"));
  }
});
