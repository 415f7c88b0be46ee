/**
 * Shared by the staff UI browser tests and the display latency benchmark: build the UI once,
 * start a real listening app, drive Chromium, read QR codes off the screen.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { App, CreateAppOptions } from '../../server/create-app';
import { startApp as startKitApp, tempDir as kitTempDir, type RunningApp as KitApp } from '../support/app';
import { API_KEY, CSRF } from '../support/keys';

export { API_KEY, CSRF };
import { SCREENSHOTS, launchChromium } from '../support/browser';
import { ensureUiBuilt } from '../../renderer/ensure-built';

export { CHROMIUM, HAS_CHROMIUM, ROOT, SCREENSHOTS, launchChromium } from '../support/browser';
export { decodeQrOnScreen as decodeQr } from '../support/qr';

/** Builds the UI once (vite's build() API) unless out/renderer is current. */
export { ensureUiBuilt };

export type RunningApp = KitApp;

/** A temp dir removed after the file. */
export const tempDir = (prefix = 'counterlink-staff-'): string => kitTempDir(prefix);

/** The kit's app for the staff UI: listening, API_KEY as the live key, a short result screen. */
export async function startApp(options: Partial<CreateAppOptions> = {}): Promise<RunningApp> {
  return startKitApp({ listen: true, liveKey: true, displayResultMs: 1500, prefix: 'counterlink-staff-', ...options });
}

/** A staff browser context logged in with the API key through the real login endpoint (cookie). */
export async function staffContext(browser: Browser, url: string, viewport = { width: 1280, height: 860 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'Europe/Berlin', deviceScaleFactor: 1 });
  const res = await context.request.post(`${url}/staff/login`, { headers: CSRF, data: { method: 'apiKey', apiKey: API_KEY } });
  if (res.status() !== 200) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
  return context;
}

/** Collects console errors and CSP violations of a page (the staff UI must have none). */
export function watchConsole(page: Page, into: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') into.push(m.text());
  });
  page.on('pageerror', (e) => into.push(String(e)));
}

export async function defaultPosId(app: App): Promise<string> {
  return (await app.core.pointsOfSale.list()).find((p) => p.isDefault)!.id;
}

export interface Shop {
  running: RunningApp;
  /** The hub's loopback address. */
  url: string;
  /** The default point of sale (the hub's own counter). */
  posId: string;
  browser: Browser;
  /** Closes these contexts, the browser and the app (the kit removes the data dir after the file). */
  close: (contexts?: { close(): Promise<void> }[]) => Promise<void>;
}

/**
 * What every staff UI browser test starts from: the UI built, a listening shop (Bakery Bloom, in
 * Berlin unless told otherwise) and Chromium.
 */
export async function openShop(options: Partial<CreateAppOptions> & { merchantName?: string } = {}): Promise<Shop> {
  const { merchantName = 'Bakery Bloom', ...appOptions } = options;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await ensureUiBuilt();
  const running = await startApp(appOptions);
  await running.app.core.settings.update({ merchantName, timeZone: 'Europe/Berlin' });
  const browser = await launchChromium();
  return {
    running,
    url: `http://127.0.0.1:${running.port}`,
    posId: await defaultPosId(running.app),
    browser,
    close: async (contexts = []) => {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await running.close();
    },
  };
}
