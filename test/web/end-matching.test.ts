import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { grantTypes } from "../../src/domain/grant-types.js";
import { testBackends } from "../support/backends.js";
import { newGrant } from "../support/fixtures.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { openSignedInAdminPage } from "../support/admin-browser.js";
import { chromiumBrowser } from "../support/toolchains.js";

const browserOrSkip = chromiumBrowser();
const sqlite = (await testBackends()).find((backend) => backend.name === "sqlite")!;

describe("admin page: end all matching sessions as a termination job", { skip: "skip" in browserOrSkip ? browserOrSkip.skip : undefined }, () => {
  let server: TestServer;
  let receiver: LogoutReceiver;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    receiver = await startReceiver();
    // Slow jobs (2 sessions a second, one per batch) leave time to watch and cancel; previews are exact up to 5 sessions.
    server = await startTestServer(sqlite, {
      terminationJobs: true,
      terminationPollMs: 50,
      terminationBatchSize: 1,
      terminationDefaultRate: 2,
      previewExactLimit: 5,
      allowHttpLogoutUris: true,
    });
    const { stores } = server.db;
    await stores.clients.put({ clientId: "web-app", enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: false });
    await createSessions(stores, [
      { subjectId: "alice", sessionId: "alice-sid-1", displayName: "Alice Liddell", clientIds: ["web-app", "portal"] },
      { subjectId: "alice", sessionId: "alice-sid-2", displayName: "Alice Liddell", clientIds: ["web-app"] },
      { subjectId: "bob", sessionId: "bob-sid-1", displayName: "Bob Builder", clientIds: ["web-app"] },
    ]);
    await createSessions(stores, Array.from({ length: 40 }, (_, i) => ({ subjectId: `reader-${i}`, clientIds: ["portal"] })));
    await stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "web-app", subjectId: "alice", sessionId: "alice-sid-1" }));

    const launched = chromiumBrowser();
    assert.ok("executablePath" in launched);
    ({ browser, page } = await openSignedInAdminPage(launched.executablePath, server.httpPort, pageErrors));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  const dialog = () => page.locator("#end-matching-dialog");
  const text = (selector: string) => page.locator(selector).innerText();
  const filterBy = async (label: string, value: string) => {
    await page.getByLabel(label, { exact: true }).first().fill(value);
    await page.locator("#session-filter").getByRole("button", { name: "Search" }).click();
  };

  it("should preview what ending the filter's sessions would do, per client, and change nothing on Cancel", async () => {
    await filterBy("Client id", "web-app");
    await page.getByRole("button", { name: "End all matching…" }).click();
    await dialog().getByRole("heading", { name: "End all matching sessions" }).waitFor();
    await page.getByRole("button", { name: "Start ending 3 sessions" }).waitFor();
    assert.match(await text("#end-matching-target"), /every session matching client web-app \(3\), not only those on this page/);
    assert.equal(await text("#end-matching-count-sessions"), "3");
    assert.equal(await text("#end-matching-count-tokens"), "1");
    assert.equal(await text("#end-matching-count-notifications"), "3");
    assert.ok(await page.locator("#end-matching-estimate").isHidden());
    const webApp = page.locator("#end-matching-clients tbody tr", { hasText: "web-app" });
    assert.deepEqual(await webApp.locator("td").allInnerTexts(), ["web-app", "3", "1", "0", "3", "Yes"]);
    assert.deepEqual(await page.locator("#end-matching-clients tbody tr", { hasText: "portal" }).locator("td").allInnerTexts(), ["portal", "1", "0", "0", "0", "No"]);

    // Without notifications the preview is asked again.
    await dialog().getByLabel("Notify clients (back-channel logout)").uncheck();
    await page.locator("#end-matching-count-notifications").getByText("0", { exact: true }).waitFor();
    await dialog().getByRole("button", { name: "Cancel", exact: true }).click();
    assert.ok(await dialog().isHidden());
    assert.equal(await server.db.stores.sessions.count({ clientId: "web-app" }), 3);
  });

  it("should start a job on confirm, show its progress live until it finished, and reload the list", async () => {
    await page.getByRole("button", { name: "End all matching…" }).click();
    await dialog().getByLabel("Reason (optional)").fill("INC-42");
    await page.getByRole("button", { name: "Start ending 3 sessions" }).click();
    const view = page.locator("#job-progress");
    await view.waitFor();
    assert.match(await text("#job-progress-target"), /Ending client web-app \(INC-42\)\./);
    // At two sessions a second the running state is seen before the end.
    await page.locator("#job-progress-state").getByText(/Running|Waiting to start/).waitFor();
    assert.ok(await page.getByRole("button", { name: "Cancel job" }).isVisible());
    await page.locator("#job-progress-state").getByText("Finished", { exact: true }).waitFor();
    assert.equal(await text("#job-progress-text"), "3 of 3 sessions (100%)");
    assert.equal(await text("#job-count-sessions"), "3");
    assert.equal(await text("#job-count-tokens"), "1");
    assert.match(await text("#job-progress-outcome"), /^Finished: 3 sessions ended, 1 token revoked, 0 consents revoked, 3 notifications queued\.$/);
    assert.ok(await page.getByRole("button", { name: "Cancel job" }).isHidden());
    await page.locator("#sessions-empty").waitFor();
    assert.equal(await server.db.stores.sessions.count({ clientId: "web-app" }), 0);
    await page.getByRole("button", { name: "Dismiss" }).last().click();
    assert.ok(await view.isHidden());
  });

  it("should ask to confirm every session, flag estimates, and cancel a running job with what it did kept", async () => {
    await page.locator("#filter-clear").click();
    await page.getByRole("button", { name: "End all matching…" }).click();
    await page.locator("#end-matching-estimate").waitFor();
    assert.match(await text("#end-matching-estimate"), /^Estimates: more than 5 sessions match/);
    assert.match(await text("#end-matching-target"), /You are about to end EVERY session \(about \d+\): every user is signed out\./);
    assert.match(await text("#end-matching-count-sessions"), /^about \d+$/);
    const start = page.getByRole("button", { name: /^Start ending about \d+ sessions$/ });
    assert.ok(await start.isDisabled(), "every session needs the extra confirmation");
    await page.getByLabel("Yes: end every session of every user").check();
    await start.click();
    await page.locator("#job-progress-state").getByText("Running", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Cancel job" }).click();
    await page.locator("#job-progress-state").getByText("Cancelled", { exact: true }).waitFor();
    assert.match(await text("#job-progress-outcome"), /^Cancelled by \S+\. What it did before stays done: \d+ sessions? ended/);
    assert.ok(await page.getByRole("button", { name: "Cancel job" }).isHidden());
    const left = await server.db.stores.sessions.count({});
    assert.ok(left > 0 && left < 40, `${left} sessions left after cancelling`);
  });

  it("should list recent jobs, newest first, and show an ended one in the live view again", async () => {
    const jobs = page.locator("#recent-jobs-table tbody tr");
    await jobs.first().locator("td[data-label=State]").getByText("Cancelled", { exact: true }).waitFor();
    assert.equal(await jobs.count(), 2);
    assert.equal(await jobs.nth(1).locator("td[data-label=State]").innerText(), "Finished");
    assert.equal(await jobs.nth(1).locator('td[data-label="Which sessions"]').innerText(), "client web-app");
    assert.equal(await jobs.nth(1).locator("td[data-label=Sessions]").innerText(), "3 of 3");
    await jobs.nth(1).getByRole("button", { name: /^Show job / }).click();
    await page.locator("#job-progress-state").getByText("Finished", { exact: true }).waitFor();
    assert.match(await text("#job-progress-outcome"), /^Finished: 3 sessions ended/);
    assert.deepEqual(pageErrors, []);
  });
});
