import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { testBackends } from "../support/backends.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { openSignedInAdminPage } from "../support/admin-browser.js";
import { chromiumBrowser } from "../support/toolchains.js";

const browserOrSkip = chromiumBrowser();
const sqlite = (await testBackends()).find((backend) => backend.name === "sqlite")!;

const ours = "https://login.example.com";
const partner = "https://partner.example.org";
const at = (iso: string) => new Date(iso);
const later = new Date(Date.now() + 30 * 86_400_000);
const network = (signInIp: string) => ({ signInIp, amr: [], attributes: {} });

describe("admin page: end all matching carries every filter of the list into the job", { skip: "skip" in browserOrSkip ? browserOrSkip.skip : undefined }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startTestServer(sqlite, { terminationJobs: true, terminationPollMs: 50, terminationBatchSize: 2 });
    await createSessions(server.db.stores, [
      // Our issuer, created in February: the ones the first filter ends.
      { subjectId: "feb-1", sessionId: "feb-1", issuer: ours, created: at("2026-02-03T10:00:00Z"), expires: later },
      { subjectId: "feb-2", sessionId: "feb-2", issuer: ours, created: at("2026-02-14T10:00:00Z"), expires: later },
      { subjectId: "feb-3", sessionId: "feb-3", issuer: ours, created: at("2026-02-28T23:59:00Z"), expires: later },
      // Our issuer outside the range, and the partner's inside it: they stay.
      { subjectId: "jan-1", sessionId: "jan-1", issuer: ours, created: at("2026-01-31T23:59:00Z"), expires: later },
      { subjectId: "mar-1", sessionId: "mar-1", issuer: ours, created: at("2026-03-01T00:00:00Z"), expires: later },
      { subjectId: "partner-1", sessionId: "partner-1", issuer: partner, created: at("2026-02-10T10:00:00Z"), expires: later },
      { subjectId: "partner-2", sessionId: "partner-2", issuer: partner, created: at("2026-02-11T10:00:00Z"), expires: later },
      // Signed in from one network, active or expired: for the state and address filters.
      { subjectId: "net-active-1", sessionId: "net-active-1", created: at("2026-04-01T10:00:00Z"), expires: later, metadata: network("198.51.100.7") },
      { subjectId: "net-active-2", sessionId: "net-active-2", created: at("2026-04-02T10:00:00Z"), expires: later, metadata: network("198.51.100.8") },
      { subjectId: "net-expired", sessionId: "net-expired", created: at("2026-04-03T10:00:00Z"), expires: at("2026-04-03T11:00:00Z"), metadata: network("198.51.100.9") },
      { subjectId: "elsewhere", sessionId: "elsewhere", created: at("2026-04-04T10:00:00Z"), expires: later, metadata: network("203.0.113.5") },
    ]);

    const launched = chromiumBrowser();
    assert.ok("executablePath" in launched);
    ({ browser, page } = await openSignedInAdminPage(launched.executablePath, server.httpPort, pageErrors));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const text = (selector: string) => page.locator(selector).innerText();
  const search = async (fields: Record<string, string>) => {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).first().fill(value);
    await page.locator("#session-filter").getByRole("button", { name: "Search" }).click();
  };
  const listed = async () => page.locator('#sessions-table tbody td[data-label="Session id"] code').allInnerTexts();
  const remaining = async () => (await server.db.stores.sessions.count({})) as number;

  it("should preview and end exactly the sessions an issuer and creation range list, and keep the rest", async () => {
    await search({ Issuer: ours, "Created from (UTC)": "2026-02-01T00:00", "Created before (UTC)": "2026-03-01T00:00" });
    await page.locator("#sessions-summary").getByText("1–3 of 3 sessions (page 1 of 1)", { exact: true }).waitFor();
    assert.deepEqual(await listed(), ["feb-1", "feb-2", "feb-3"]);

    await page.getByRole("button", { name: "End all matching…" }).click();
    await page.getByRole("button", { name: "Start ending 3 sessions" }).waitFor();
    assert.equal(await text("#end-matching-count-sessions"), "3");
    assert.match(
      await text("#end-matching-target"),
      /every session matching issuer https:\/\/login\.example\.com, created from 2026-02-01 00:00:00 UTC before 2026-03-01 00:00:00 UTC \(3\)/,
    );
    assert.ok(await page.getByLabel("Yes: end every session of every user").isHidden(), "a filtered job needs no every-session confirmation");
    await page.getByRole("button", { name: "Start ending 3 sessions" }).click();

    await page.locator("#job-progress-state").getByText("Finished", { exact: true }).waitFor();
    assert.equal(await text("#job-progress-text"), "3 of 3 sessions (100%)");
    assert.match(await text("#job-progress-target"), /^Ending issuer https:\/\/login\.example\.com, created from 2026-02-01 00:00:00 UTC before 2026-03-01 00:00:00 UTC\.$/);
    await page.locator("#sessions-empty").waitFor();
    const recent = page.locator("#recent-jobs-table tbody tr").first();
    await recent.locator("td[data-label=State]").getByText("Finished", { exact: true }).waitFor();
    assert.match(await recent.locator('td[data-label="Which sessions"]').innerText(), /^issuer https:\/\/login\.example\.com, created from 2026-02-01/);

    // What the list did not show is still there: the same issuer outside the range, the other issuer inside it.
    assert.equal(await remaining(), 8);
    assert.equal(await server.db.stores.sessions.count({ issuer: ours, created: { from: at("2026-02-01T00:00:00Z"), to: at("2026-03-01T00:00:00Z") } }), 0);
    assert.equal(await server.db.stores.sessions.count({ issuer: ours }), 2);
    assert.equal(await server.db.stores.sessions.count({ issuer: partner }), 2);
  });

  it("should carry the state and the sign-in address block, preview what the list counts, and end only those", async () => {
    await page.locator("#filter-clear").click();
    await page.getByLabel("State", { exact: true }).selectOption("active");
    await search({ "Sign-in IP or CIDR": "198.51.100.0/24" });
    await page.locator("#sessions-summary").getByText("1–2 of 2 sessions (page 1 of 1)", { exact: true }).waitFor();
    assert.deepEqual(await listed(), ["net-active-1", "net-active-2"]);

    // An edit not yet searched does not change what the job ends: the list's filter does.
    await page.getByLabel("Subject id", { exact: true }).first().fill("net-active-1");
    await page.getByRole("button", { name: "End all matching…" }).click();
    await page.getByRole("button", { name: "Start ending 2 sessions" }).waitFor();
    assert.equal(await text("#end-matching-count-sessions"), "2");
    assert.match(await text("#end-matching-target"), /every session matching active, signed in from 198\.51\.100\.0\/24 \(2\)/);
    await page.getByRole("button", { name: "Start ending 2 sessions" }).click();
    // The view still shows the first test's job, finished, until this one's first answer: wait for this job's figures.
    await page.locator("#job-progress-text").getByText("2 of 2 sessions (100%)", { exact: true }).waitFor();
    await page.locator("#job-progress-state").getByText("Finished", { exact: true }).waitFor();

    assert.equal(await remaining(), 6);
    assert.equal(await server.db.stores.sessions.count({ subjectId: "net-expired" }), 1, "the expired session of the block stays");
    assert.equal(await server.db.stores.sessions.count({ subjectId: "elsewhere" }), 1, "the active session outside the block stays");
    assert.deepEqual(pageErrors, []);
  });
});
