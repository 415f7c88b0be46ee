/**
 * Shared by the staff UI browser tests and the display latency benchmark: build the UI once,
 * start a real listening app, drive Chromium, read QR codes off the screen.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createApp, type App, type CreateAppOptions } from '../../server/create-app';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const API_KEY = 'test-key-123456';
export const CSRF = { 'X-Counterlink-CSRF': '1' } as const;
export const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-artifacts/screenshots');

/** Builds the UI once (vite's build() API) unless out/renderer is current. */
export { ensureUiBuilt } from '../../renderer/ensure-built';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
}

export interface RunningApp {
  app: App;
  url: string;
  dataDir: string;
  port: number;
}

export function tempDir(prefix = 'counterlink-staff-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startApp(options: Partial<CreateAppOptions> & { dataDir?: string } = {}): Promise<RunningApp> {
  const dataDir = options.dataDir ?? tempDir();
  const app = await createApp({ port: 0, host: '127.0.0.1', apiKey: API_KEY, displayResultMs: 1500, ...options, dataDir });
  const url = await app.listen();
  const address = app.server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url, dataDir, port };
}

/** A staff browser context logged in with the API key through the real login endpoint (cookie). */
export async function staffContext(browser: Browser, url: string, viewport = { width: 1280, height: 860 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'Europe/Berlin', deviceScaleFactor: 1 });
  const res = await context.request.post(`${url}/staff/login`, { headers: CSRF, data: { method: 'apiKey', apiKey: API_KEY } });
  if (res.status() !== 200) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
  return context;
}

/** Reads the QR code shown in `locator` off a screenshot of it. */
export async function decodeQr(locator: Locator): Promise<string | null> {
  const png = PNG.sync.read(await locator.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
  return code?.data ?? null;
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
