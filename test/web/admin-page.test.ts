import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
import { chromiumArgs } from "../support/admin-browser.js";
import { chromiumBrowser } from "../support/toolchains.js";

const artifacts = process.env.TEST_ARTIFACTS_DIR ?? join(tmpdir(), "sm-admin-screenshots");
// The committed screenshots (README, review of the page's look); rewritten with UPDATE_SCREENSHOTS=1.
const committedScreenshots = fileURLToPath(new URL("./screenshots/", import.meta.url));
const updateScreenshots = process.env.UPDATE_SCREENSHOTS === "1";
// The laptop widths operators use; the page must fit both without sideways scrolling.
const desktopWidths = [1280, 1440] as const;
const browserOrSkip = chromiumBrowser();
const [sqlite] = await testBackends();

const hour = 3_600_000;
const issuer = "https://login.example.com";
// Values as long as real deployments have: a demo-style subject, a long opaque sid, a long issuer.
const longSubject = "mx0q3k7r-u0004812-employee-directory";
const longSessionId = "MX0Q3K7RS000000004812-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const longIssuer = "https://login.identity.example-corporation.com/realms/employees";

/** Browser console errors and failed loads, other than the API errors a test provokes on purpose. */
interface PageProblems {
  console: string[];
  responses: string[];
}

const isApiCall = (url: string) => new URL(url).pathname.startsWith("/sessionmanagement.v1.");

function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { console: [], responses: [] };
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    // The service's refusals (401, 403, 400) are logged by Chromium as failed loads; each test that provokes one asserts the page's message.
    if (message.text().startsWith("Failed to load resource") && where !== "" && isApiCall(where)) return;
    problems.console.push(`${message.text()} (${where})`);
  });
  page.on("pageerror", (error) => problems.console.push(`uncaught: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400 && !isApiCall(response.url())) problems.responses.push(`${response.status()} ${response.url()}`);
  });
  return problems;
}

/** Where a list's table ends up at the current width, from the browser's layout. */
async function tableLayout(page: Page, tableId: string) {
  return page.evaluate((id) => {
    const table = document.getElementById(id)!;
    const wrap = table.parentElement!;
    // (No named functions in here: the test runner's transform would name them with a helper the page does not have.)
    return {
      viewport: document.documentElement.clientWidth,
      actionsHeaderRight: table.querySelector("thead th:last-child")!.getBoundingClientRect().right,
      buttonsRight: Math.max(0, ...[...table.querySelectorAll("tbody button")].map((button) => button.getBoundingClientRect().right)),
      wrapOverflow: wrap.scrollWidth - wrap.clientWidth,
      pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      // Content spilling out of its cell overlaps the next column (cut values hide their overflow, so they do not count).
      spilling: [...table.querySelectorAll<HTMLElement>("tbody td")]
        .filter((cell) => cell.scrollWidth > cell.clientWidth)
        .map((cell) => `${cell.dataset.label}: ${cell.innerText}`),
      ids: [...table.querySelectorAll<HTMLElement>("tbody .id")].map((element) => ({
        text: element.textContent ?? "",
        title: element.title,
        lines: Math.round(element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight)),
        clipped: element.scrollWidth > element.clientWidth,
      })),
    };
  }, tableId);
}

/** The list fits the width: the Actions column and every row button are on screen, nothing scrolls sideways, and ids are whole lines. */
async function assertFits(page: Page, tableId: string, width: number): Promise<void> {
  const layout = await tableLayout(page, tableId);
  assert.equal(layout.viewport, width);
  assert.ok(layout.actionsHeaderRight <= width, `${tableId} at ${width}px: the Actions column ends at ${layout.actionsHeaderRight}px`);
  assert.ok(layout.buttonsRight <= width, `${tableId} at ${width}px: a row button ends at ${layout.buttonsRight}px`);
  assert.ok(layout.wrapOverflow <= 0, `${tableId} at ${width}px: the table scrolls sideways by ${layout.wrapOverflow}px`);
  assert.ok(layout.pageOverflow <= 0, `${tableId} at ${width}px: the page scrolls sideways by ${layout.pageOverflow}px`);
  assert.deepEqual(layout.spilling, [], `${tableId} at ${width}px: cells whose content overlaps the next column`);
  assert.ok(layout.ids.length > 0);
  for (const id of layout.ids) {
    assert.equal(id.lines, 1, `${id.text} is on one line, not broken in the middle`);
    assert.equal(id.title, id.text, `${id.text} shows its whole value on hover`);
  }
}

describe("admin page in a browser", { skip: "skip" in browserOrSkip ? browserOrSkip.skip : undefined }, () => {
  let server: TestServer;
  let receiver: LogoutReceiver;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let alice: NewSession[];
  let bob: NewSession[];
  let brokenAnswers = 400;
  let base: string;
  const later = (hours: number) => new Date(Date.now() + hours * hour);
  const earlier = (hours: number) => new Date(Date.now() - hours * hour);

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    console.log(`admin page screenshots: ${artifacts}`);
    receiver = await startReceiver();
    receiver.on("/broken", () => ({ status: brokenAnswers }));
    receiver.on("/unavailable", () => ({ status: 503, body: "maintenance" }));
    server = await startTestServer(sqlite!, { notifier: true, notifierAllowAddresses: "127.0.0.1", allowHttpLogoutUris: true, notifierPollMs: 100 });
    base = `http://127.0.0.1:${server.httpPort}`;
    const { stores } = server.db;
    await stores.clients.put({ clientId: "web-app", enabled: true, backchannelLogoutUri: receiver.url("/logout"), backchannelLogoutSessionRequired: false });
    await stores.clients.put({ clientId: "broken", enabled: true, backchannelLogoutUri: receiver.url("/broken"), backchannelLogoutSessionRequired: false });
    await stores.clients.put({ clientId: "rp-12", enabled: true, backchannelLogoutUri: receiver.url("/unavailable"), backchannelLogoutSessionRequired: false });
    // Expired sessions stay listed until the sweeper (off here) removes them.
    alice = await createSessions(
      stores,
      [1, 2, 3].map((n) => ({ subjectId: "alice", sessionId: `alice-sid-${n}`, displayName: "Alice Liddell", issuer, clientIds: ["web-app", "portal"], expires: later(6 + n) })),
    );
    bob = await createSessions(stores, [
      {
        subjectId: "bob",
        sessionId: "bob-sid-1",
        displayName: "Bob Builder",
        issuer,
        clientIds: ["broken"],
        expires: earlier(3),
        metadata: { signInIp: "203.0.113.5", signInUserAgent: "Firefox/145.0", lastSeenIp: "198.51.100.7", lastSeen: earlier(4), amr: ["pwd", "otp"], attributes: {} },
      },
      { subjectId: "bob", sessionId: "bob-sid-2", displayName: "Bob Builder", issuer, clientIds: ["portal"], expires: later(30), metadata: { signInIp: "2001:db8::2", amr: [], attributes: {} } },
    ]);
    await createSessions(stores, [
      {
        subjectId: longSubject,
        sessionId: longSessionId,
        displayName: "Maximiliane Alexandra von Hohenzollern-Sigmaringen",
        issuer: longIssuer,
        clientIds: ["rp-12", "customer-portal-production", "rp-123"],
        expires: later(72),
      },
    ]);
    // Odd readers expired (as if no sweeper had run yet), even ones active.
    await createSessions(
      stores,
      Array.from({ length: 18 }, (_, i) => ({
        subjectId: `user-${String(i + 1).padStart(2, "0")}`,
        sessionId: `user-sid-${i + 1}`,
        displayName: `Reader ${i + 1}`,
        issuer,
        clientIds: ["portal"],
        expires: i % 2 === 1 ? later(i + 1) : earlier(i + 1),
      })),
    );
    await stores.grants.store(newGrant({ type: grantTypes.refreshToken, clientId: "web-app", subjectId: "alice", sessionId: "alice-sid-1" }));
    await stores.grants.store(newGrant({ type: grantTypes.userConsent, clientId: "web-app", subjectId: "alice" }));

    const launched = chromiumBrowser();
    assert.ok("executablePath" in launched);
    browser = await chromium.launch({ executablePath: launched.executablePath, headless: true, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    problems = watchProblems(page);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  const screenshot = async (name: string) => {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  };
  // The picture at this width as an operator first sees it (the viewport), kept in the repository.
  const committedScreenshot = async (name: string) => {
    const path = join(artifacts, `${name}.png`);
    await page.screenshot({ path, fullPage: false });
    if (!updateScreenshots) return;
    mkdirSync(committedScreenshots, { recursive: true });
    copyFileSync(path, join(committedScreenshots, `${name}.png`));
  };
  const text = (selector: string) => page.locator(selector).innerText();
  const rows = (table: string) => page.locator(`#${table} tbody tr`);
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
  const summary = () => page.locator("#sessions-summary");
  const waitForSummary = (expected: string) => summary().getByText(expected, { exact: true }).waitFor();
  const statusCleared = () => page.waitForFunction(() => document.getElementById("status")?.textContent === "", undefined, { timeout: 20_000 });
  const signIn = async (key: string) => {
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  const search = async (fields: Record<string, string>) => {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).first().fill(value);
    await page.locator("#session-filter").getByRole("button", { name: "Search" }).click();
  };
  const sessionRow = (sessionId: string) => page.locator("#sessions-table tbody tr", { has: page.locator(`td[data-label="Session id"] code[title="${sessionId}"]`) });

  it("should be served at / and tell a wrong key apart with a clear message", async () => {
    await page.goto(`${base}/`);
    assert.equal(new URL(page.url()).pathname, "/admin/");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signIn("smk_not-a-key-this-service-knows");
    await page.getByText("This API key was not accepted. Check it and try again.").waitFor();
    assert.equal(await page.getByLabel("API key").getAttribute("aria-invalid"), "true");
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, "a refused key is not kept");
    assert.ok(await page.locator("#sessions-view").isHidden());
    await screenshot("sign-in-wrong-key");
  });

  it("should link an icon the content security policy allows, and answer /favicon.ico", async () => {
    const href = await page.locator('link[rel="icon"]').evaluate((link: HTMLLinkElement) => link.href);
    assert.equal(new URL(href).origin, base, "served by this origin (img-src 'self')");
    for (const url of [href, `${base}/admin/favicon.ico`, `${base}/favicon.ico`]) {
      const response = await page.request.get(url);
      assert.equal(response.status(), 200, url);
      assert.equal(response.headers()["content-type"], "image/svg+xml", url);
      assert.match(await response.text(), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it("should say what a key without the permission may not do", async () => {
    await signIn(permissionKeys["store.write"]);
    await page.locator("#sessions-error").getByText("Your key may not do this").waitFor();
    assert.match(await text("#sessions-error"), /sessions\.read/);
    await screenshot("sessions-permission-denied");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  });

  it("should sign in, keep the key in session storage only, list the sessions with their total, and clear the status line", async () => {
    await signIn(testApiKey);
    await page.getByRole("heading", { name: "Sessions", exact: true }).waitFor();
    await waitForSummary("1–24 of 24 sessions (page 1 of 1)");
    assert.equal(await text("#sessions-page"), "Page 1 of 1");
    assert.equal(await rows("sessions-table").count(), 24);
    assert.equal(await focusedId(), "sessions-heading", "focus moves to the list's heading");
    assert.equal(await page.evaluate(() => Object.values({ ...sessionStorage }).join()), testApiKey);
    assert.equal(await page.evaluate(() => localStorage.length + document.cookie.length), 0);
    const first = await rows("sessions-table").first().innerText();
    for (const expected of ["alice", "alice-sid-1", "Alice Liddell", "web-app", "portal", "login.example.com", "2026-01-01 00:00:01"]) {
      assert.ok(first.includes(expected), `${expected} in ${first}`);
    }
    // The confirmation of signing in is shown, then goes: it must not pass for the state of a later moment.
    await page.getByRole("status").getByText("Signed in.").waitFor();
    await statusCleared();
    assert.equal(await page.getByRole("status").innerText(), "");
  });

  it("should show expired sessions as expired and active ones as active, each with its expiry", async () => {
    const state = async (sessionId: string) => {
      const row = sessionRow(sessionId);
      return { state: await row.getAttribute("data-state"), text: await row.locator('td[data-label="State, expiry (UTC)"]').innerText() };
    };
    const expired = await state("bob-sid-1");
    assert.equal(expired.state, "expired");
    assert.match(expired.text, /^Expired\s+expired 3 h( \d+ min)? ago\s+/);
    assert.ok(expired.text.endsWith(bob[0]!.expires!.toISOString().slice(0, 19).replace("T", " ")), expired.text);
    const active = await state("alice-sid-1");
    assert.equal(active.state, "active");
    assert.match(active.text, /^Active\s+expires in (6|7) h/);
    assert.match(active.text, new RegExp(alice[0]!.expires!.toISOString().slice(0, 16).replace("T", " ")));
    // Bob's other session, the long one and every other reader are active; the first of each other pair of readers is not.
    assert.equal(await page.locator('#sessions-table tbody tr[data-state="expired"]').count(), 10);
    assert.equal(await page.locator('#sessions-table tbody tr[data-state="active"]').count(), 14);
    assert.equal(await page.locator("#sessions-table tbody tr[data-state=expired] .badge").first().innerText(), "Expired");
    const colours = await page.evaluate(() =>
      Object.fromEntries(["expired", "active"].map((state) => [state, getComputedStyle(document.querySelector(`tr[data-state=${state}] td`)!).backgroundColor])),
    );
    assert.notEqual(colours.expired, colours.active, "expired rows look different at a glance");
  });

  it("should offer one destructive action per row, named for what it ends", async () => {
    for (const row of await rows("sessions-table").all()) {
      const buttons = await row.getByRole("button").allInnerTexts();
      assert.deepEqual(buttons, ["End session"]);
    }
  });

  for (const width of desktopWidths) {
    it(`should fit the session list into ${width} px without cutting off the Actions column or breaking ids`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await assertFits(page, "sessions-table", width);
      const long = (await tableLayout(page, "sessions-table")).ids.find((id) => id.text === longSessionId);
      assert.ok(long?.clipped, "a long session id is cut with an ellipsis");
      await committedScreenshot(`sessions-${width}`);
    });
  }

  it("should filter by display-name prefix, client, subject and session id", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await search({ "Display name starts with": "ali" });
    await waitForSummary("1–3 of 3 sessions (page 1 of 1)");
    assert.deepEqual(await page.locator("#sessions-table tbody td[data-label=Subject]").allInnerTexts(), ["alice", "alice", "alice"]);
    await search({ "Display name starts with": "", "Client id": "broken" });
    await waitForSummary("1 of 1 session (page 1 of 1)");
    assert.equal(await rows("sessions-table").first().locator("td[data-label=Subject]").innerText(), "bob");
    await search({ "Client id": "", "Subject id": "alice", "Session id": "alice-sid-2" });
    await waitForSummary("1 of 1 session (page 1 of 1)");
    await search({ "Subject id": "nobody", "Session id": "" });
    await page.locator("#sessions-empty").getByText("No sessions match these filters.").waitFor();
    assert.equal(await summary().innerText(), "");
    await screenshot("sessions-empty");
  });

  it("should show the service's message for an invalid filter", async () => {
    await search({ "Subject id": "x".repeat(201) });
    await page.locator("#sessions-error").getByText("The service rejected the request").waitFor();
    assert.match(await text("#sessions-error"), /subject_id/);
    await screenshot("sessions-invalid-argument");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await waitForSummary("1–24 of 24 sessions (page 1 of 1)");
  });

  it("should filter by state, sign-in address and creation time, list newest first, and show where a session signed in from", async () => {
    await search({ "Sign-in IP or CIDR": "203.0.113.0/24" });
    await waitForSummary("1 of 1 session (page 1 of 1)");
    const from = sessionRow("bob-sid-1").locator('td[data-label="Issuer, signed in from"] .sign-in');
    assert.equal(await from.innerText(), "203.0.113.5");
    assert.match(String(await from.getAttribute("title")), /last seen from 198\.51\.100\.7\nFirefox\/145\.0\nmethods: pwd, otp/);
    assert.match(await sessionRow("bob-sid-1").locator('td[data-label="Created, renewed, last seen (UTC)"]').innerText(), /last seen/);
    await page.locator("#filter-state").selectOption("expired");
    await search({ "Sign-in IP or CIDR": "" });
    await waitForSummary("1–10 of 10 sessions (page 1 of 1)");
    assert.equal(await page.locator('#sessions-table tbody tr[data-state="expired"]').count(), 10);
    await page.locator("#filter-state").selectOption("");
    await page.locator("#filter-order").selectOption("newest");
    await search({ "Subject id": "alice" });
    await waitForSummary("1–3 of 3 sessions (page 1 of 1)");
    assert.deepEqual(await page.locator("#sessions-table tbody td[data-label='Session id']").allInnerTexts(), ["alice-sid-3", "alice-sid-2", "alice-sid-1"]);
    assert.equal(await page.locator("#sessions-caption").textContent(), "Sessions, newest first");
    await search({ "Subject id": "", "Created from (UTC)": "2999-01-01T00:00" });
    await page.locator("#sessions-empty").getByText("No sessions match these filters.").waitFor();
    await search({ "Created from (UTC)": "", "Sign-in IP or CIDR": "203.0.113.1/24" });
    await page.locator("#sessions-error").getByText("The service rejected the request").waitFor();
    assert.match(await text("#sessions-error"), /ip_address/);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await waitForSummary("1–24 of 24 sessions (page 1 of 1)");
    assert.equal(await page.locator("#filter-order").inputValue(), "oldest");
  });

  it("should page forward and back with the range, the total and the page number following", async () => {
    await page.getByLabel("Page size", { exact: true }).first().selectOption("10");
    await search({});
    await waitForSummary("1–10 of 24 sessions (page 1 of 3)");
    assert.ok(await page.getByRole("button", { name: "Previous page" }).first().isDisabled());
    const firstOfPage = () => rows("sessions-table").first().locator("td[data-label=Subject]").innerText();
    assert.equal(await firstOfPage(), "alice");
    await page.locator("#sessions-next").click();
    await waitForSummary("11–20 of 24 sessions (page 2 of 3)");
    assert.equal(await text("#sessions-page"), "Page 2 of 3");
    assert.equal(await firstOfPage(), "user-05", "three of alice, two of bob, the long one and four readers came first");
    await page.locator("#sessions-next").click();
    await waitForSummary("21–24 of 24 sessions (page 3 of 3)");
    assert.equal(await rows("sessions-table").count(), 4);
    assert.ok(await page.locator("#sessions-next").isDisabled());
    assert.equal(await focusedId(), "sessions-prev", "the focus stays on the pager when the last page disables Next");
    await screenshot("sessions-page-3");
    await page.locator("#sessions-prev").click();
    await waitForSummary("11–20 of 24 sessions (page 2 of 3)");
    assert.equal(await firstOfPage(), "user-05");
    await page.locator("#sessions-prev").click();
    await waitForSummary("1–10 of 24 sessions (page 1 of 3)");
    await page.getByLabel("Page size", { exact: true }).first().selectOption("25");
  });

  it("should end one session after a confirmation that names exactly what happens, and show the counts", async () => {
    await search({ "Subject id": "alice" });
    await waitForSummary("1–3 of 3 sessions (page 1 of 1)");
    await page.getByRole("button", { name: "End session alice-sid-1" }).click();
    const dialog = page.getByRole("dialog", { name: "End session" });
    await dialog.waitFor();
    assert.equal(await focusedId(), "end-cancel", "the safe choice has the focus");
    assert.ok(await dialog.getByLabel("Only session alice-sid-1").isChecked(), "ending only the chosen session is the default");
    assert.equal(await text("#end-target"), "You are about to end session alice-sid-1 of subject alice; the subject's other sessions stay.");
    assert.equal(await dialog.locator("#end-confirm").innerText(), "End this session");
    for (const option of ["Remove the server-side session", "Revoke tokens", "Revoke consents", "Notify clients"]) {
      assert.ok(await dialog.getByLabel(option).isChecked(), `${option} is on by default`);
    }
    const plan = () => dialog.locator("#end-plan").innerText();
    assert.match(await plan(), /Delete the server-side record of session alice-sid-1 of subject alice/);
    assert.match(await plan(), /Revoke the consents/);
    assert.match(await plan(), /back-channel logout notification for this session to every client of this session/);
    await dialog.getByLabel("Revoke consents").uncheck();
    assert.doesNotMatch(await plan(), /consents/);
    await dialog.getByLabel("Revoke consents").check();
    await dialog.getByLabel("web-app").check();
    assert.match(await plan(), /only for client web-app/);
    const confirmBox = await dialog.locator("#end-confirm").boundingBox();
    assert.ok(confirmBox !== null && confirmBox.y + confirmBox.height <= 900, "the confirm button is in sight without scrolling");
    await committedScreenshot("end-session-dialog-1280");
    await dialog.getByRole("button", { name: "End this session" }).click();
    await dialog.waitFor({ state: "hidden" });

    const result = page.locator("#removal-result");
    await result.getByRole("heading", { name: "Sessions ended" }).waitFor();
    assert.equal(await text("#removal-result-target"), "Ended session alice-sid-1 of subject alice.");
    assert.equal(await result.locator("#count-sessions").innerText(), "1");
    assert.equal(await result.locator("#count-tokens").innerText(), "1");
    assert.equal(await result.locator("#count-consents").innerText(), "1");
    assert.equal(await result.locator("#count-notifications").innerText(), "1");
    await waitForSummary("1–2 of 2 sessions (page 1 of 1)");
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
      return (await webApp.getAttribute("data-status")) === "delivered" ? true : undefined;
    });
    assert.match(await webApp.innerText(), /alice-sid-1/);
    assert.equal(await webApp.locator('td[data-label="Status, attempts"]').innerText(), "delivered\n1 attempt");
    assert.match(await webApp.locator('td[data-label="Times (UTC)"]').innerText(), /delivered\s+20\d\d-/);
    assert.equal(await webApp.getByRole("button", { name: /Retry/ }).count(), 0, "delivered notifications are not retried");
    assert.equal(await text("#notifications-summary"), "Notification 1 (page 1)");
    await screenshot("notifications-delivered");
  });

  it("should end all sessions of a subject only when that is chosen, saying so and how many", async () => {
    await page.getByRole("button", { name: "Sessions" }).click();
    await search({ "Subject id": "bob" });
    await waitForSummary("1–2 of 2 sessions (page 1 of 1)");
    await page.getByRole("button", { name: "End session bob-sid-1" }).click();
    await page.getByRole("dialog", { name: "End session" }).waitFor();
    await page.getByLabel("All sessions of subject bob").check();
    const dialog = page.getByRole("dialog", { name: "End all sessions of a subject" });
    await dialog.waitFor();
    await dialog.locator("#end-target").getByText("You are about to end all 2 sessions of subject bob, not only the one you chose.").waitFor();
    assert.match(await dialog.locator("#scope-subject-text").innerText(), /^All sessions of subject bob \(2 sessions now\)$/);
    assert.equal(await dialog.locator("#end-confirm").innerText(), "End all sessions of this subject");
    assert.match(await dialog.locator("#end-plan").innerText(), /all sessions of subject bob/);
    assert.deepEqual(await dialog.locator("#end-client-options input").evaluateAll((boxes: HTMLInputElement[]) => boxes.map((box) => box.value)), ["broken", "portal"]);
    await committedScreenshot("end-subject-dialog-1280");
    await dialog.getByRole("button", { name: "End all sessions of this subject" }).click();
    await page.locator("#count-sessions").getByText("2").waitFor();
    assert.equal(await page.locator("#count-notifications").innerText(), "1", "only broken has a logout URI");
    assert.match(await text("#removal-result-target"), /^Ended all sessions of subject bob: bob-sid-[12], bob-sid-[12]\.$/);
    for (const session of bob) assert.equal(await server.db.stores.sessions.findByKey(session.key), undefined);
    await receiver.waitFor(1, (request) => request.path === "/broken");
  });

  it("should retry a dead notification and see it delivered", async () => {
    await page.getByRole("button", { name: "Logout notifications" }).click();
    await page.getByLabel("Status").selectOption({ label: "Dead" });
    const broken = page.locator("#notifications-table tbody tr", { hasText: "broken" });
    await eventually("the dead status on the page", async () => {
      await page.locator("#notification-filter").getByRole("button", { name: "Search" }).click();
      await page.locator("#notifications-table:not([aria-busy])").waitFor();
      return (await broken.count()) === 1 ? true : undefined;
    });
    assert.equal(await broken.getAttribute("data-status"), "dead");
    assert.match(await broken.locator("td[data-label='Last result']").innerText(), /HTTP 400/);
    await screenshot("notifications-dead");

    brokenAnswers = 200;
    await broken.getByRole("button", { name: /Retry notification/ }).click();
    await page.getByRole("status").getByText("1 notification put back as pending.").waitFor();
    assert.equal(await focusedId(), "notifications-heading");
    await page.getByLabel("Status").selectOption({ label: "Any" });
    await eventually("the retried notification delivered", async () => {
      await page.locator("#notification-filter").getByRole("button", { name: "Search" }).click();
      await page.locator("#notifications-table:not([aria-busy])").waitFor();
      return (await broken.getAttribute("data-status")) === "delivered" ? true : undefined;
    });
    assert.equal(receiver.to("/broken").length, 2, "delivered again after the retry");
    assert.equal((await server.db.stores.outbox.list({ clientId: "broken" }, 10))[0]?.status, "delivered");
    await screenshot("notifications-retried");
  });

  it("should fit the notification list, Retry buttons included, into 1280 and 1440 px with long values", async () => {
    // A session with a long sid whose relying party is down: a failed notification with a Retry button.
    await page.getByRole("button", { name: "Sessions" }).click();
    await search({ "Subject id": longSubject });
    await page.getByRole("button", { name: `End session ${longSessionId}` }).click();
    await page.getByRole("dialog", { name: "End session" }).getByRole("button", { name: "End this session" }).click();
    await page.locator("#count-notifications").getByText("1").waitFor();
    await receiver.waitFor(1, (request) => request.path === "/unavailable");
    await page.getByRole("button", { name: "Logout notifications" }).click();
    const failed = page.locator("#notifications-table tbody tr", { hasText: "rp-12" });
    await eventually("the failed status on the page", async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.locator("#notifications-table:not([aria-busy])").waitFor();
      return (await failed.getAttribute("data-status")) === "failed" ? true : undefined;
    });
    assert.equal(await failed.getByRole("button", { name: /Retry notification/ }).count(), 1);
    await statusCleared();
    for (const width of desktopWidths) {
      await page.setViewportSize({ width, height: 900 });
      await assertFits(page, "notifications-table", width);
      await committedScreenshot(`notifications-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("should stay readable on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Sessions" }).click();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await waitForSummary("1–20 of 20 sessions (page 1 of 1)");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px too wide)`);
    assert.deepEqual((await tableLayout(page, "sessions-table")).spilling, [], "every value fits its line of the card");
    await statusCleared();
    await screenshot("sessions-phone");
    await page.getByRole("button", { name: "Logout notifications" }).click();
    await page.locator("#notifications-summary").getByText("Notifications 1–3 (page 1)").waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    assert.deepEqual((await tableLayout(page, "notifications-table")).spilling, []);
    await screenshot("notifications-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("should sign out and forget the key", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.ok(await page.locator("#sessions-view").isHidden());
  });

  it("should have logged no console errors and loaded every file of the page", () => {
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.responses, []);
  });
});

describe("admin page totals beyond the exact count limit", { skip: "skip" in browserOrSkip ? browserOrSkip.skip : undefined }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    // Above five matches, a broad filter's total comes from the background count: an estimate.
    server = await startTestServer(sqlite!, { countExactLimit: 5 });
    await createSessions(server.db.stores, Array.from({ length: 12 }, (_, i) => ({ subjectId: `user-${i + 1}`, expires: new Date(Date.now() + hour) })));
    const launched = chromiumBrowser();
    assert.ok("executablePath" in launched);
    browser = await chromium.launch({ executablePath: launched.executablePath, headless: true, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("should say the total is an estimate when the service says so", async () => {
    await page.goto(`http://127.0.0.1:${server.httpPort}/admin/`);
    await page.getByLabel("API key").fill(testApiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signing in counted the unfiltered list once; the list that follows is served from that count.
    await page.locator("#sessions-summary").getByText("1–12 of about 12 sessions (page 1 of about 1; the total is an estimate)", { exact: true }).waitFor();
    assert.equal(await page.locator("#sessions-page").innerText(), "Page 1 of about 1");
    // A narrow filter is counted exactly.
    await page.getByLabel("Subject id", { exact: true }).first().fill("user-3");
    await page.locator("#session-filter").getByRole("button", { name: "Search" }).click();
    await page.locator("#sessions-summary").getByText("1 of 1 session (page 1 of 1)", { exact: true }).waitFor();
  });
});
