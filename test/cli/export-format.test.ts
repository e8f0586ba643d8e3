import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { UserSessionSchema } from "../../gen/ts/sessionmanagement/v1/session_management_pb.js";
import { csvField, exportFormats } from "../../src/cli/sessionctl/export-format.js";

describe("csvField()", () => {
  it("should leave plain values alone and quote commas, quotes and line breaks, doubling quotes", () => {
    assert.equal(csvField("alice"), "alice");
    assert.equal(csvField(""), "");
    assert.equal(csvField("Liddell, Alice"), '"Liddell, Alice"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField("two\nlines"), '"two\nlines"');
    assert.equal(csvField("cr\rhere"), '"cr\rhere"');
  });
});

describe("exportFormats", () => {
  const session = create(UserSessionSchema, {
    subjectId: "alice",
    sessionId: "sid-1",
    displayName: "Alice",
    issuer: "https://idp.example.com",
    clientIds: ["portal", "web-app"],
    created: timestampFromDate(new Date("2026-01-01T09:00:00.123Z")),
  });

  it("should write CSV rows under a header, client ids space-separated, unset times empty", () => {
    assert.equal(exportFormats.csv!.header, "subject_id,session_id,display_name,issuer,client_ids,created,renewed,expires\r\n");
    assert.equal(exportFormats.csv!.line(session), "alice,sid-1,Alice,https://idp.example.com,portal web-app,2026-01-01T09:00:00.123Z,,\r\n");
  });

  it("should write NDJSON in the API's JSON form, one session a line, without a header", () => {
    assert.equal(exportFormats.ndjson!.header, "");
    const line = exportFormats.ndjson!.line(session);
    assert.ok(line.endsWith("}\n") && !line.slice(0, -1).includes("\n"));
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.equal(parsed.subjectId, "alice");
    assert.deepEqual(parsed.clientIds, ["portal", "web-app"]);
    assert.equal(parsed.created, "2026-01-01T09:00:00.123Z");
  });
});
