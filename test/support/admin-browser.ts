import { chromium, type Browser, type Page } from "playwright-core";
import { testApiKey } from "./test-credentials.js";

/** Headless Chromium's flags for the admin-page tests: no sandbox (root in CI), no GPU, and no traffic of its own. */
export const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * Opens the admin page served on `httpPort` in Chromium at `executablePath`,
 * signed in with the test API key and showing the session list; errors the
 * page throws are pushed to `pageErrors`.
 */
export async function openSignedInAdminPage(executablePath: string, httpPort: number, pageErrors: string[]): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`http://127.0.0.1:${httpPort}/admin/`);
  await page.getByLabel("API key").fill(testApiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Sessions" }).waitFor();
  return { browser, page };
}
