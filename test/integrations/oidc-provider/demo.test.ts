import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { eventually } from "../../support/eventually.js";
import { createBrowser } from "./browser.js";

const main = fileURLToPath(new URL("../../../src/integrations/oidc-provider/demo/main.ts", import.meta.url));

describe("npm run demo", () => {
  it("should start everything on loopback, print where, let alice sign in at the relying party, and clean up on Ctrl-C", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", main, "--provider-port=0", "--rp-port=0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", () => undefined);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      await eventually("the demo's banner", () => (out.includes("Ctrl-C stops everything") ? true : undefined), 120_000);
      const rpUrl = /Relying party\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      assert.match(out, /Admin page\s+http:\/\/127\.0\.0\.1:\d+\/admin\//);
      assert.match(out, /admin key\s+smk_/);
      const dataDir = /data and log in (\S+)/.exec(out)![1]!;
      const browser = createBrowser();
      let page = await browser.get(`${rpUrl}/login`);
      page = await browser.post(new URL(/action="([^"]+)"/.exec(page.body)![1]!, page.url).toString(), { login: "alice", password: "wonderland" });
      page = await browser.post(new URL(/action="([^"]+)"/.exec(page.body)![1]!, page.url).toString(), {});
      assert.match(page.body, /Signed in as <strong>Alice Liddell/);
      child.kill("SIGINT");
      assert.equal(await exited, 0);
      assert.equal(existsSync(dataDir), false, "the demo's data is removed");
    } finally {
      child.kill("SIGKILL");
    }
  });
});
