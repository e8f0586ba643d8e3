import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commandText, isRunnable, missingLine, readBlocks } from "./readme-blocks.js";

describe("readBlocks()", () => {
  const markdown = [
    "# Title",
    "<!-- readme-test: skip: installs -->",
    "```sh",
    "npm ci",
    "```",
    "",
    "<!-- readme-test: server, needs mariadb -->",
    "```sh",
    "npm start",
    "```",
    "",
    "```text",
    "listening",
    "```",
    "",
    "```yaml",
    "keys: []",
    "```",
    "Some prose.",
    "```text",
    "not output: prose comes between",
    "```",
  ].join("\n");

  it("should read every fenced block with its language, line and directive", () => {
    const blocks = readBlocks(markdown);
    assert.deepEqual(
      blocks.map((b) => [b.line, b.language, b.text]),
      [
        [3, "sh", "npm ci"],
        [8, "sh", "npm start"],
        [12, "text", "listening"],
        [16, "yaml", "keys: []"],
        [20, "text", "not output: prose comes between"],
      ],
    );
    assert.deepEqual(blocks[0]!.directive, { skip: "installs", server: false, alongside: false, installed: false, needsMariadb: false });
    assert.deepEqual(blocks[1]!.directive, { server: true, alongside: false, installed: false, needsMariadb: true });
    assert.deepEqual(blocks.map(isRunnable), [true, true, false, false, false]);
  });

  it("should read a server that runs alongside the ones before it, and refuse alongside without server", () => {
    const [block] = readBlocks("<!-- readme-test: server, alongside -->\n```sh\nnpm run demo\n```\n");
    assert.deepEqual(block!.directive, { server: true, alongside: true, installed: false, needsMariadb: false });
    assert.throws(() => readBlocks("<!-- readme-test: alongside -->\n```sh\nnpm run demo\n```\n"), /"alongside" is for servers/);
  });

  it("should run an installed block without its leading npm ci, and refuse one that has none", () => {
    const [block] = readBlocks("<!-- readme-test: server, installed -->\n```sh\nnpm ci && npm start\n```\n");
    assert.equal(commandText(block!), "npm start");
    const [other] = readBlocks("<!-- readme-test: installed -->\n```sh\nnpm start\n```\n");
    assert.throws(() => commandText(other!), /starts with "npm ci &&"/);
    const [plain] = readBlocks("```sh\nnpm ci && npm start\n```\n");
    assert.equal(commandText(plain!), "npm ci && npm start");
  });

  it("should take a text block right after a run block as its output, and no other", () => {
    const blocks = readBlocks(markdown);
    assert.equal(blocks[1]!.expected, "listening");
    assert.equal(blocks[0]!.expected, undefined);
    assert.equal(blocks[3]!.expected, undefined);
  });

  it("should refuse an unknown directive and an unclosed block", () => {
    assert.throws(() => readBlocks("<!-- readme-test: sometimes -->\n```sh\nls\n```"), /unknown readme-test directive "sometimes"/);
    assert.throws(() => readBlocks("```sh\nls\n"), /never closed/);
  });
});

describe("missingLine()", () => {
  const output = "SUBJECT  SESSION ID\nalice    alice-laptop  2026-11-28 20:46:50Z\nalice    alice-phone   2026-11-28 21:06:50Z\n";

  it("should match lines in order, with … for anything and any spacing", () => {
    assert.equal(missingLine("SUBJECT SESSION ID\nalice alice-laptop …\nalice alice-phone …", output), undefined);
    assert.equal(missingLine("\n  alice   alice-phone\n", output), undefined);
  });

  it("should name the first line that is missing or out of order", () => {
    assert.equal(missingLine("alice alice-tablet …", output), "alice alice-tablet …");
    assert.equal(missingLine("alice alice-phone\nalice alice-laptop", output), "alice alice-laptop");
    assert.equal(missingLine("(1+1)*2", "(1+1)*2 = 4"), undefined, "regular expression characters are plain");
  });
});
