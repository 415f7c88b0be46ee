/**
 * How fast the counter follows a charge, end to end, in a real Chromium against a real app
 * (not a test; run on demand: `npx tsx test/bench/display-latency.ts`, or `run()` from the
 * bench runner):
 *  (a) staff press Enter on the charge keypad -> the QR of that charge is painted on the
 *      counter display page (POST /charges, display.updated, the display's SSE, QR rendering);
 *  (b) the simulator approves the payment (core.payments.complete, what POST /sim/checkout
 *      calls) -> "paid" is painted on the display, and the payment is in the staff feed.
 * Times are wall-clock (Date.now() in Node and in the pages: one machine, one clock), taken
 * on the next animation frame after the DOM shows it, so they include the paint.
 */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { defaultPosId, ensureUiBuilt, launchChromium, staffContext, startApp } from '../e2e/staff-helpers';

const RUNS = Math.max(50, Number(process.env.BENCH_DISPLAY_RUNS ?? 50));

export interface LatencyStats {
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

function stats(samples: number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { medianMs: Math.round(median * 10) / 10, p95Ms: at(0.95), minMs: s[0]!, maxMs: s[s.length - 1]! };
}

/**
 * In the page: resolves with Date.now() on the first animation frame where `selector` matches
 * (an image only once loaded and different from `notSrc`; an element only with `text`). Kept as
 * a string: tsx would otherwise wrap inner functions with helpers the page does not have.
 */
const PAINTED = `({ selector, notSrc, text }) => new Promise((resolve) => {
  const ok = () => {
    for (const el of document.querySelectorAll(selector)) {
      if (text !== undefined && !(el.textContent || '').includes(text)) continue;
      if (el instanceof HTMLImageElement && (!el.complete || el.naturalWidth === 0 || el.src === notSrc)) continue;
      return true;
    }
    return false;
  };
  const tick = () => (ok() ? resolve(Date.now()) : requestAnimationFrame(tick));
  tick();
})`;

function whenPainted(page: Page, selector: string, extra: { notSrc?: string; text?: string } = {}): Promise<number> {
  return page.evaluate(`(${PAINTED})(${JSON.stringify({ selector, ...extra })})`) as Promise<number>;
}

export async function run(): Promise<object> {
  await ensureUiBuilt();
  const running = await startApp({ displayResultMs: 1500 });
  const { app } = running;
  const url = `http://127.0.0.1:${running.port}`;
  const posId = await defaultPosId(app);
  const browser = await launchChromium();
  const qr: number[] = [];
  const paidDisplay: number[] = [];
  const paidFeed: number[] = [];
  try {
    const staff = await staffContext(browser, url);
    const charge = await staff.newPage();
    const feed = await staff.newPage();
    const displayCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const display = await displayCtx.newPage();
    await display.goto(`${url}/display/${posId}`);
    await display.locator('[data-mode="idle"]').waitFor();
    await feed.goto(`${url}/feed`);
    await feed.locator('[data-testid="feed-status"][data-status="live"]').waitFor();
    await charge.goto(`${url}/`);
    await charge.getByTestId('amount-display').waitFor();
    await charge.waitForFunction(() => document.querySelector('[data-testid="stream-status"]')?.getAttribute('data-status') === 'live');

    let lastSrc = '';
    for (let i = 0; i < RUNS + 3; i++) {
      const warmup = i < 3;
      // (a) Enter -> QR on the display.
      for (const d of String(100 + i)) await charge.keyboard.press(d);
      const shown = whenPainted(display, '[data-mode="link"] [data-testid="display-qr"] img', { notSrc: lastSrc });
      const t0 = Date.now();
      await charge.keyboard.press('Enter');
      const t1 = await shown;
      lastSrc = await display.locator('[data-testid="display-qr"] img').getAttribute('src').then((s) => s ?? '');
      const linkId = (await app.core.display.get(posId)).linkId!;

      // The customer starts paying (not timed), then the simulator approves (timed).
      const { payment } = await app.core.payments.start(linkId, {});
      await display.locator('[data-mode="paying"]').waitFor();
      const onDisplay = whenPainted(display, '[data-mode="result"][data-result="succeeded"]');
      const inFeed = whenPainted(feed, '[data-type="payment.succeeded"]', { text: payment.refId });
      const t2 = Date.now();
      await app.core.payments.complete(payment.id, 'succeeded');
      const [t3, t4] = await Promise.all([onDisplay, inFeed]);
      if (!warmup) {
        qr.push(t1 - t0);
        paidDisplay.push(t3 - t2);
        paidFeed.push(t4 - t2);
      }
      await charge.locator('[data-testid="charge-live"][data-phase="paid"]').waitFor();
      await charge.keyboard.press('Enter');
      await charge.locator('[data-testid="amount-display"]').waitFor();
    }
    return {
      runs: RUNS,
      enterToQrOnDisplay: stats(qr),
      approvalToPaidOnDisplay: stats(paidDisplay),
      approvalToPaidInFeed: stats(paidFeed),
      note: 'wall-clock ms, headless Chromium + app on this machine, 3 warm-up runs not counted',
    };
  } finally {
    await browser.close();
    await app.close();
    rmSync(running.dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
