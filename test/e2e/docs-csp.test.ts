/**
 * The API docs (Swagger UI) work under their strict CSP: Chromium renders the operations and
 * opens one, and reports no CSP violation and no console error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HAS_CHROMIUM, launchChromium, startApp, watchConsole, type RunningApp } from './staff-helpers';

let running: RunningApp;
let browser: Browser;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  running = await startApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.app.close();
});

describe.skipIf(!HAS_CHROMIUM)('/api/docs in a browser', () => {
  it('renders every operation under the CSP, with no violation', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    watchConsole(page, errors);
    await page.exposeFunction('reportViolation', (v: string) => errors.push(`CSP: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation: (v: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    const res = await page.goto(`${running.url}/api/docs`);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    // Open an operation: its schemas and examples render (highlighted code, SVG icons) too.
    await page.locator('.opblock-summary').first().click();
    await page.locator('.opblock-body').first().waitFor({ timeout: 5_000 });
    await page.waitForTimeout(300);
    expect(errors).toEqual([]);
    await page.close();
  });
});
