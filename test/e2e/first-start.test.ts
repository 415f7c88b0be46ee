/**
 * The first start of a new till (issue #11) in Chromium: the built staff UI served as the desktop
 * app serves it to the first-start window (uiRoutes on a loopback port of its own, the UI's CSP),
 * with a fake `window.counterlink` whose first-start calls run the real flow of the main process
 * (electron/lib/first-start.ts, pairWithHub) against a REAL hub app, and whose found hubs come
 * from the real HubFinder fed by a fake discovery transport announcing that hub's address.
 * Checks: both choices shown; the found hub listed (and picked); a wrong code gets the worded
 * pairing-code-invalid error; the right code (made with POST /api/v1/pairing-codes) pairs and the
 * hub's GET /api/v1/devices lists the till. Screenshots: test-artifacts/screenshots/first-start-*.png.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FirstStartFlow, type FirstStartOutcome } from '../../electron/lib/first-start';
import { pairWithHub, type HubSettings } from '../../electron/lib/hub';
import { uiRoutes, UI_CSP } from '../../server/staff/ui';
import { announcement, HubFinder, type DiscoveryTransport, type FoundHub, type RawService } from '../../server/lan/discovery';
import type { JoinHubRequest } from '../../renderer/src/bridge';
import { API_KEY, HAS_CHROMIUM, ROOT, SCREENSHOTS, ensureUiBuilt, launchChromium, startApp, watchConsole, type RunningApp } from './staff-helpers';

const SLOW = 240_000;

/** The bridge the preload gives the first-start window, each call forwarded to the test (Node). */
function installFakeBridge(): void {
  type Hub = { id: string; shopName: string; origin: string };
  const w = window as unknown as Record<string, (...args: unknown[]) => Promise<unknown>> & { __hubListeners: ((hubs: Hub[]) => void)[]; __pushHubs: (hubs: Hub[]) => void };
  w.__hubListeners = [];
  w.__pushHubs = (hubs) => w.__hubListeners.forEach((l) => l(hubs));
  (window as unknown as { counterlink: unknown }).counterlink = {
    serverUrl: location.origin,
    apiKey: '',
    platform: 'linux',
    firstStart: {
      info: () => w.__fsInfo!(),
      onHubs(listener: (hubs: Hub[]) => void) {
        w.__hubListeners.push(listener);
        void w.__fsHubs!().then((hubs) => listener(hubs as Hub[]));
        return () => (w.__hubListeners = w.__hubListeners.filter((l) => l !== listener));
      },
      join: (request: unknown) => w.__fsJoin!(request),
      runHubHere: () => w.__fsHubHere!(),
    },
  };
}

describe.skipIf(!HAS_CHROMIUM)('first start of a new till: hub here, or join a hub found on the LAN (Chromium)', () => {
  let hub: RunningApp;
  let hubUrl: string;
  let pages: FastifyInstance;
  let pageUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let finder: HubFinder;
  const saved: HubSettings[] = [];
  const consoleErrors: string[] = [];
  let announce: ((s: RawService) => void) | undefined;
  let flow: FirstStartFlow;
  let outcome: FirstStartOutcome | undefined;
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `first-start-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await ensureUiBuilt();
    hub = await startApp();
    hubUrl = `http://127.0.0.1:${hub.port}`;
    await hub.app.core.settings.update({ merchantName: 'Bakery Bloom' });

    // The page server of the first-start window (electron/main/first-start.ts does the same).
    pages = Fastify({ logger: false });
    await uiRoutes(pages, join(ROOT, 'out/renderer'));
    pageUrl = await pages.listen({ host: '127.0.0.1', port: 0 });

    // The main process's side: the real flow and finder; discovery is a fake transport.
    flow = new FirstStartFlow(
      {
        pair: (address, code, name) => pairWithHub(fetch, address, code, name),
        seal: (token) => ({ format: 'plain', data: token }),
        save: (h) => saved.push(h),
      },
      'first-start',
      'till-pc',
    );
    void flow.outcome.then((o) => (outcome = o));
    const transport: DiscoveryTransport = {
      publish: () => ({ stop: async () => {} }),
      browse: (_type, onUp) => {
        announce = onUp;
        return { refresh: () => {}, stop: () => {} };
      },
      destroy: async () => {},
    };
    finder = new HubFinder({
      transport,
      onChange: (hubs: FoundHub[]) => void page?.evaluate((list) => (window as unknown as { __pushHubs(l: unknown): void }).__pushHubs(list), hubs.map(({ id, shopName, origin }) => ({ id, shopName, origin }))),
      log: () => {},
    });
    finder.start();

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 760, height: 820 }, locale: 'en-US', deviceScaleFactor: 1 });
    await context.exposeFunction('__fsInfo', () => flow.info());
    await context.exposeFunction('__fsHubs', () => finder.list().map(({ id, shopName, origin }) => ({ id, shopName, origin })));
    await context.exposeFunction('__fsJoin', (request: JoinHubRequest) => flow.join(request));
    await context.exposeFunction('__fsHubHere', () => flow.runHubHere());
    await context.addInitScript(installFakeBridge);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchConsole(page, consoleErrors);
  }, SLOW);

  afterAll(async () => {
    finder?.stop();
    await context?.close().catch(() => {});
    await browser?.close();
    await pages?.close();
    await hub?.app.close();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it(
    'lists the announced hub, words a wrong code, pairs with the right one and the hub lists the till',
    async () => {
      const res = await page.goto(`${pageUrl}/`);
      expect(res?.headers()['content-security-policy']).toBe(UI_CSP);
      await page.getByTestId('first-start').waitFor();
      // Both choices, nothing else of the app (no login, no navigation).
      await expect(page.getByTestId('choose-hub').innerText()).resolves.toContain('Run this shop’s hub here');
      await expect(page.getByTestId('choose-join').innerText()).resolves.toContain('Join a hub');
      await expect(page.getByRole('navigation').count()).resolves.toBe(0);
      await expect(page.getByTestId('not-paired').count()).resolves.toBe(0);
      await shot('choose');

      await page.getByTestId('choose-join').click();
      await page.getByTestId('found-hubs').getByText('Searching…').waitFor();
      await expect(page.getByLabel('This till’s name').inputValue()).resolves.toBe('till-pc');

      // The hub is announced on the (fake) LAN with its real address: listed live and picked.
      const a = announcement({ shopName: 'Bakery Bloom', hostname: 'hub-pc', port: hub.port });
      announce!({ name: a.name, port: a.port, txt: a.txt, addresses: ['127.0.0.1'] });
      const listed = page.locator(`.found-hub[data-origin="${hubUrl}"]`);
      await listed.waitFor();
      await expect(listed.innerText()).resolves.toContain('Bakery Bloom');
      await expect(page.getByLabel('Hub address').inputValue()).resolves.toBe(hubUrl);
      await expect(listed.getAttribute('aria-pressed')).resolves.toBe('true');
      await expect(page.getByTestId('join-submit').isDisabled()).resolves.toBe(true);

      // A wrong code: the hub refuses it (401 pairing-code-invalid), in words, at the code field.
      await page.getByLabel('Pairing code').fill('abcd-efgh');
      await expect(page.getByLabel('Pairing code').inputValue()).resolves.toBe('ABCDEFGH');
      await page.getByLabel('This till’s name').fill('Till 2');
      await page.getByTestId('join-submit').click();
      const error = page.locator('[data-error-for="code"]');
      await error.waitFor();
      await expect(error.innerText()).resolves.toBe('This pairing code is not valid: it is wrong, used or expired. Ask for a new one.');
      await shot('wrong-code');
      expect(saved).toEqual([]);

      // The right code, made through the hub's API.
      const posId = (await hub.app.core.pointsOfSale.list())[0]!.id;
      const made = await fetch(`${hubUrl}/api/v1/pairing-codes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'counter', pointOfSaleId: posId }),
      });
      expect(made.status).toBe(201);
      const { code } = (await made.json()) as { code: string };
      await page.getByLabel('Pairing code').fill(code);
      await expect(error.count()).resolves.toBe(0);
      await page.getByTestId('join-submit').click();
      await page.getByTestId('joined').waitFor();
      await shot('joined');

      expect(outcome).toMatchObject({ kind: 'counter', hub: { url: hubUrl, name: 'Till 2', pointOfSaleId: posId } });
      expect(saved).toHaveLength(1);
      expect(saved[0]).toMatchObject({ role: 'counter', joined: { url: hubUrl, name: 'Till 2' } });
      const devices = await fetch(`${hubUrl}/api/v1/devices`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(devices.status).toBe(200);
      const list = (await devices.json()) as { data: { name: string; role: string; pointOfSaleId: string }[] };
      expect(list.data).toEqual([expect.objectContaining({ name: 'Till 2', role: 'counter', pointOfSaleId: posId })]);
      expect(consoleErrors.filter((e) => !/401/.test(e))).toEqual([]);
    },
    SLOW,
  );

  it(
    'a till no longer paired gets the same screen with a line saying so; the German words too',
    async () => {
      const notPaired = new FirstStartFlow({ pair: () => Promise.reject(new Error('unused')), seal: () => ({ format: 'plain', data: 'x' }), save: () => {} }, 'not-paired', 'till-pc');
      const ctx = await browser.newContext({ viewport: { width: 760, height: 820 }, locale: 'de-DE', deviceScaleFactor: 1 });
      try {
        await ctx.exposeFunction('__fsInfo', () => notPaired.info());
        await ctx.exposeFunction('__fsHubs', () => []);
        await ctx.exposeFunction('__fsJoin', () => ({ ok: false, reason: 'busy' }));
        await ctx.exposeFunction('__fsHubHere', () => notPaired.runHubHere());
        await ctx.addInitScript(installFakeBridge);
        const p = await ctx.newPage();
        p.setDefaultTimeout(15_000);
        await p.goto(`${pageUrl}/`);
        await p.getByTestId('not-paired').waitFor();
        await expect(p.getByTestId('not-paired').innerText()).resolves.toContain('mit keinem Hub mehr gekoppelt');
        await expect(p.getByTestId('choose-hub').innerText()).resolves.toContain('Den Hub dieses Ladens hier betreiben');
        await p.screenshot({ path: join(SCREENSHOTS, 'first-start-not-paired-de.png'), fullPage: true });
        await p.getByTestId('choose-hub').click();
        await expect(notPaired.outcome).resolves.toEqual({ kind: 'hub' });
      } finally {
        await ctx.close();
      }
    },
    SLOW,
  );
});
