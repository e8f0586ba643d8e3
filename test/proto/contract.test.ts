import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";

const root = fileURLToPath(new URL("../..", import.meta.url));
const buf = join(root, "node_modules", ".bin", "buf");
const released = join(root, "proto", "released", "contract.binpb");
const contract = "proto/sessionmanagement/v1/session_management.proto";

/** Runs `buf breaking` on a workspace against the released contract. */
function breaking(workspace: string): { status: number | null; output: string } {
  const run = spawnSync(buf, ["breaking", "proto", "--against", released], { cwd: workspace, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

// The checks CI runs (`buf breaking` against proto/released), shown to catch
// what would break generated clients in other languages.
describe("the released contract", () => {
  const workspaces: string[] = [];
  after(() => {
    for (const workspace of workspaces) rmSync(workspace, { recursive: true, force: true });
  });

  /** A copy of buf.yaml and proto/ with one file changed. */
  const changed = (file: string, change: (text: string) => string) => {
    const workspace = mkdtempSync(join(tmpdir(), "sm-contract-"));
    workspaces.push(workspace);
    cpSync(join(root, "buf.yaml"), join(workspace, "buf.yaml"));
    cpSync(join(root, "proto"), join(workspace, "proto"), { recursive: true });
    const path = join(workspace, file);
    const before = readFileSync(path, "utf8");
    const after = change(before);
    assert.notEqual(after, before, "the change applies");
    writeFileSync(path, after);
    return workspace;
  };

  it("should accept the contract as it is", () => {
    const result = breaking(root);
    assert.equal(result.status, 0, result.output);
  });

  it("should accept an addition: a new field", () => {
    const workspace = changed(contract, (text) =>
      text.replace("  string client_id = 7;", "  string client_id = 7;\n  // A filter added later.\n  string added_later = 999;"),
    );
    assert.equal(breaking(workspace).status, 0, breaking(workspace).output);
  });

  const breakingChanges: [string, (text: string) => string, RegExp][] = [
    ["a removed field", (text) => text.replace(/\n\s*\/\/[^\n]*\n\s*string display_name = 6;/, "\n  reserved 6;"), /display_name/],
    ["a renumbered field", (text) => text.replace("string client_id = 7;", "string client_id = 998;"), /client_id|7/],
    ["a changed field type", (text) => text.replace("int32 count_requested = 1;", "int64 count_requested = 1;"), /count_requested|type/i],
    ["a renamed field", (text) => text.replace("string subject_id = 4;", "string subject = 4;"), /subject/],
    ["a removed method", (text) => text.replace(/\n  rpc RemoveSessions\([^)]*\) returns \([^)]*\) \{[^}]*\}/, ""), /RemoveSessions/],
  ];
  for (const [what, change, names] of breakingChanges) {
    it(`should fail the build on ${what}`, () => {
      const result = breaking(changed(contract, change));
      assert.notEqual(result.status, 0, `buf breaking accepted ${what}`);
      assert.match(result.output, names);
    });
  }
});
