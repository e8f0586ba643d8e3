import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { grantTypes } from "../../src/domain/grant-types.js";
import type { NewSession } from "../../src/domain/session.js";
import { testBackends } from "../support/backends.js";
import { eventually } from "../support/eventually.js";
import { newGrant } from "../support/fixtures.js";
import { startReceiver, type LogoutReceiver } from "../support/receiver.js";
import { createSessions } from "../support/seed-sessions.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { permissionKeys, testApiKey } from "../support/test-credentials.js";
import { chromiumBrowser } from "../support/toolchains.js";

const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const artifacts = process.env.TEST_ARTIFACTS_DIR ?? join(tmpdir(), "sm-admin-screenshots");
const readmeScreenshot = new URL("./screenshots/sessions.png", import.meta.url);
const browserOrSkip = chromiumBrowser();
const [sqlite] = await testBackends();

describe("admin page in a browser", { skip: "skip" in browserOrSkip ? browserOrSkip.skip : undefined }, () => {
  let server: TestServer;
  let receiver: LogoutReceiver;
  let browser: Browser;
  let page: Page;
  let alice: NewSession[];
  let bob: NewSession;
  let brokenAnswers = 400;

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    console.log(`admin page screenshots: ${artifacts}`);
    receiver = await startReceiver();
    receiver.on("/broken", () => ({ status: brokenAnswers }));
    server = await startTestServer(sqlite!, { notifier: true, notifierAllowAddresses: "127.0.0.1", allowHttpLogoutUris: true, notifierPollMs: 100 });
    const { stores } = server.db;
    await stores.clients.put({ clientId: "web-app", enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: false });
    await stores.clients.put({ clientId: "broken", enabled: true, backchannelLogoutUri: receiver.url("/broken"), backchannelLogoutSessionRequired: false });
    const issuer = "https://login.example.com";
    alice = await createSessions(
      stores,
      [1, 2, 3].map((n) => ({ subjectId: "alice", sessionId: `alice-sid-${n}`, displayName: "Alice Liddell", issuer, clientIds: ["web-app", "portal"] })),
    );
    [bob] = await createSessions(stores, [{ subjectId: "bob", sessionId: "bob-sid-1", displayName: "Bob Builder", issuer, clientIds: ["broken"] }]);
    await createSessions(
      stores,
      Array.from({ length: 19 }, (_, i) => ({
        subjectId: `user-${String(i + 1).padStart(2, "0")}`,
        sessionId: `user-sid-${i + 1}`,
        displayName: `Reader ${i + 1}`,
        issuer,
        clientIds: ["portal"],
      })),
    );
    await stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "web-app", subjectId: "alice", sessionId: "alice-sid-1" }));
    await stores.grants.store(newGrant({ type: grantTypes.userConsent, clientId: "web-app", subjectId: "alice" }));

    const launched = chromiumBrowser();
    assert.ok("executablePath" in launched);
    browser = await chromium.launch({ executablePath: launched.executablePath, headless: true, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  const screenshot = async (name: string) => {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  };
  const text = (selector: string) => page.locator(selector).innerText();
  const rows = (table: string) => page.locator(`#${table} tbody tr`);
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
  const signIn = async (key: string) => {
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  const search = async (fields: Record<string, string>) => {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).first().fill(value);
    await page.locator("#session-filter").getByRole("button", { name: "Search" }).click();
  };

  it("should be served at / and tell a wrong key apart with a clear message", async () => {
    await page.goto(`http://127.0.0.1:${server.httpPort}/`);
    assert.equal(new URL(page.url()).pathname, "/admin/");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signIn("smk_not-a-key-this-service-knows");
    await page.getByText("This API key was not accepted. Check it and try again.").waitFor();
    assert.equal(await page.getByLabel("API key").getAttribute("aria-invalid"), "true");
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, "a refused key is not kept");
    assert.ok(await page.locator("#sessions-view").isHidden());
    await screenshot("sign-in-wrong-key");
  });

  it("should say what a key without the permission may not do", async () => {
    await signIn(permissionKeys["store.write"]);
    await page.locator("#sessions-error").getByText("Your key may not do this").waitFor();
    assert.match(await text("#sessions-error"), /sessions\.read/);
    await screenshot("sessions-permission-denied");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  });

  it("should sign in, keep the key in session storage only, and list the sessions", async () => {
    await signIn(testApiKey);
    await page.getByRole("heading", { name: "Sessions", exact: true }).waitFor();
    await page.locator("#sessions-page").getByText("Page 1 of 1, 23 sessions").waitFor();
    assert.equal(await rows("sessions-table").count(), 23);
    assert.equal(await focusedId(), "sessions-heading", "focus moves to the list's heading");
    assert.equal(await page.evaluate(() => Object.values({ ...sessionStorage }).join()), testApiKey);
    assert.equal(await page.evaluate(() => localStorage.length + document.cookie.length), 0);
    const first = await rows("sessions-table").first().innerText();
    for (const expected of ["alice", "alice-sid-1", "Alice Liddell", "portal, web-app", "https://login.example.com", "2026-01-01 00:00:01"]) {
      assert.ok(first.includes(expected), `${expected} in ${first}`);
    }
    await screenshot("sessions");
    if (process.env.UPDATE_SCREENSHOTS === "1") {
      mkdirSync(new URL("./screenshots/", import.meta.url), { recursive: true });
      await page.screenshot({ path: readmeScreenshot.pathname, fullPage: false });
    }
  });

  it("should filter by display-name prefix, client, subject and session id", async () => {
    await search({ "Display name starts with": "ali" });
    await page.locator("#sessions-page").getByText("Page 1 of 1, 3 sessions").waitFor();
    assert.deepEqual(await page.locator("#sessions-table tbody td[data-label=Subject]").allInnerTexts(), ["alice", "alice", "alice"]);
    await search({ "Display name starts with": "", "Client id": "broken" });
    await page.locator("#sessions-page").getByText("Page 1 of 1, 1 session").waitFor();
    assert.equal(await rows("sessions-table").first().locator("td[data-label=Subject]").innerText(), "bob");
    await search({ "Client id": "", "Subject id": "alice", "Session id": "alice-sid-2" });
    await page.locator("#sessions-page").getByText("Page 1 of 1, 1 session").waitFor();
    await search({ "Subject id": "nobody", "Session id": "" });
    await page.getByText("No sessions match these filters.").waitFor();
    await screenshot("sessions-empty");
  });

  it("should show the service's message for an invalid filter", async () => {
    await search({ "Subject id": "x".repeat(201) });
    await page.locator("#sessions-error").getByText("The service rejected the request").waitFor();
    assert.match(await text("#sessions-error"), /subject_id/);
    await screenshot("sessions-invalid-argument");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.locator("#sessions-page").getByText("Page 1 of 1, 23 sessions").waitFor();
  });

  it("should page forward and back with the page indicator following", async () => {
    await page.getByLabel("Page size", { exact: true }).first().selectOption("10");
    await search({});
    const indicator = page.locator("#sessions-page");
    await indicator.getByText("Page 1 of 3, 23 sessions").waitFor();
    assert.ok(await page.getByRole("button", { name: "Previous page" }).first().isDisabled());
    const firstOfPage = () => rows("sessions-table").first().locator("td[data-label=Subject]").innerText();
    assert.equal(await firstOfPage(), "alice");
    await page.locator("#sessions-next").click();
    await indicator.getByText("Page 2 of 3, 23 sessions").waitFor();
    assert.equal(await firstOfPage(), "user-07", "three of alice, one of bob and six others came first");
    await page.locator("#sessions-next").click();
    await indicator.getByText("Page 3 of 3, 23 sessions").waitFor();
    assert.equal(await rows("sessions-table").count(), 3);
    assert.ok(await page.locator("#sessions-next").isDisabled());
    assert.equal(await focusedId(), "sessions-prev", "the focus stays on the pager when the last page disables Next");
    await screenshot("sessions-page-3");
    await page.locator("#sessions-prev").click();
    await indicator.getByText("Page 2 of 3, 23 sessions").waitFor();
    assert.equal(await firstOfPage(), "user-07");
    await page.locator("#sessions-prev").click();
    await indicator.getByText("Page 1 of 3, 23 sessions").waitFor();
  });

  it("should end one session after a confirmation that says what will happen, and show the counts", async () => {
    await search({ "Subject id": "alice" });
    await page.locator("#sessions-page").getByText("Page 1 of 1, 3 sessions").waitFor();
    await page.getByRole("button", { name: "End session alice-sid-1" }).click();
    const dialog = page.getByRole("dialog", { name: "End session" });
    await dialog.waitFor();
    assert.equal(await focusedId(), "end-cancel", "the safe choice has the focus");
    for (const option of ["Remove the server-side session", "Revoke tokens", "Revoke consents", "Notify clients"]) {
      assert.ok(await dialog.getByLabel(option).isChecked(), `${option} is on by default`);
    }
    const plan = () => dialog.locator("#end-plan").innerText();
    assert.match(await plan(), /Delete the server-side record of session alice-sid-1 of subject alice/);
    assert.match(await plan(), /Revoke the consents/);
    assert.match(await plan(), /back-channel logout notification for this session to every client of it/);
    await dialog.getByLabel("Revoke consents").uncheck();
    assert.doesNotMatch(await plan(), /consents/);
    await dialog.getByLabel("Revoke consents").check();
    await dialog.getByLabel("web-app").check();
    assert.match(await plan(), /only for client web-app/);
    await screenshot("end-session-dialog");
    await dialog.getByRole("button", { name: "End session" }).click();
    await dialog.waitFor({ state: "hidden" });

    const result = page.locator("#removal-result");
    await result.getByRole("heading", { name: "Sessions ended" }).waitFor();
    assert.equal(await result.locator("#count-sessions").innerText(), "1");
    assert.equal(await result.locator("#count-tokens").innerText(), "1");
    assert.equal(await result.locator("#count-consents").innerText(), "1");
    assert.equal(await result.locator("#count-notifications").innerText(), "1");
    await page.locator("#sessions-page").getByText("Page 1 of 1, 2 sessions").waitFor();
    assert.equal(await focusedId(), "removal-result", "focus moves to the result");
    assert.equal(await page.getByRole("button", { name: "End session alice-sid-1" }).count(), 0);
    assert.equal(await server.db.stores.sessions.findByKey(alice[0]!.key), undefined, "the session is gone from the store");
    assert.ok(await server.db.stores.sessions.findByKey(alice[1]!.key), "the subject's other sessions stay");
    await screenshot("end-session-result");
  });

  it("should list the notification delivered to the relying party as delivered", async () => {
    await receiver.waitFor(1, (request) => request.path === "/logout");
    await page.getByRole("button", { name: "Logout notifications" }).click();
    await page.getByRole("heading", { name: "Logout notifications" }).waitFor();
    const webApp = page.locator("#notifications-table tbody tr", { hasText: "web-app" });
    await eventually("the delivered status on the page", async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.locator("#notifications-table:not([aria-busy])").waitFor();
      return (await webApp.locator("td[data-label=Status]").innerText()) === "delivered" ? true : undefined;
    });
    assert.match(await webApp.innerText(), /alice-sid-1/);
    assert.equal(await webApp.locator("td[data-label=Attempts]").innerText(), "1");
    assert.equal(await webApp.getByRole("button", { name: /Retry/ }).count(), 0, "delivered notifications are not retried");
    await screenshot("notifications-delivered");
  });

  it("should retry a dead notification and see it delivered", async () => {
    await page.getByRole("button", { name: "Sessions" }).click();
    await search({ "Subject id": "bob" });
    await page.getByRole("button", { name: "End all sessions of bob" }).click();
    const dialog = page.getByRole("dialog", { name: "End every session of a subject" });
    await dialog.waitFor();
    assert.match(await dialog.locator("#end-plan").innerText(), /every session of subject bob/);
    await dialog.getByRole("button", { name: "End all sessions" }).click();
    await page.locator("#count-notifications").getByText("1").waitFor();
    assert.equal(await server.db.stores.sessions.findByKey(bob.key), undefined);
    await receiver.waitFor(1, (request) => request.path === "/broken");

    await page.getByRole("button", { name: "Logout notifications" }).click();
    await page.getByLabel("Status").selectOption({ label: "Dead" });
    const broken = page.locator("#notifications-table tbody tr", { hasText: "broken" });
    await eventually("the dead status on the page", async () => {
      await page.locator("#notification-filter").getByRole("button", { name: "Search" }).click();
      await page.locator("#notifications-table:not([aria-busy])").waitFor();
      return (await broken.count()) === 1 ? true : undefined;
    });
    assert.equal(await broken.locator("td[data-label=Status]").innerText(), "dead");
    assert.match(await broken.locator("td[data-label='Last error']").innerText(), /HTTP 400/);
    await screenshot("notifications-dead");

    brokenAnswers = 200;
    await broken.getByRole("button", { name: /Retry notification/ }).click();
    await page.getByRole("status").getByText("1 notification put back as pending.").waitFor();
    assert.equal(await focusedId(), "notifications-heading");
    await page.getByLabel("Status").selectOption({ label: "Any" });
    await eventually("the retried notification delivered", async () => {
      await page.locator("#notification-filter").getByRole("button", { name: "Search" }).click();
      await page.locator("#notifications-table:not([aria-busy])").waitFor();
      return (await broken.locator("td[data-label=Status]").innerText()) === "delivered" ? true : undefined;
    });
    assert.equal(receiver.to("/broken").length, 2, "delivered again after the retry");
    assert.equal((await server.db.stores.outbox.list({ clientId: "broken" }, 10))[0]?.status, "delivered");
    await screenshot("notifications-retried");
  });

  it("should stay readable on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Sessions" }).click();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.locator("#sessions-page").getByText("Page 1 of 3, 21 sessions").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px too wide)`);
    await screenshot("sessions-phone");
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  it("should sign out and forget the key", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.ok(await page.locator("#sessions-view").isHidden());
  });
});
