/**
 * Messaging (issue #4) and webhooks (issue #5) in the staff UI, in a real (headless) Chromium
 * against a real listening app: send a link by email and SMS (no SMTP server: the local
 * outbox), preview it, retry a failed one, configure messaging; add a webhook endpoint that
 * points at a local receiver, see its secret once, test, redeliver, rotate; the callback URL
 * allow-list. Screenshots go to test-artifacts/screenshots/.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { HAS_CHROMIUM, SCREENSHOTS, staffContext, watchConsole, type RunningApp, openShop, type Shop } from './staff-helpers';

const SLOW = 120_000;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook receiver on 127.0.0.1: records every request; answers 500 while `failNext` > 0. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[]; failNext: { count: number } }> {
  const received: Received[] = [];
  const failNext = { count: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failNext.count > 0 ? 500 : 200;
      if (failNext.count > 0) failNext.count--;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok, stored' : 'temporarily unavailable');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/counterlink/hooks`, received, failNext };
}

async function until<T>(fn: () => T | undefined | false | null | Promise<T | undefined | false | null>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!HAS_CHROMIUM)('staff UI: messaging and webhooks (Chromium)', () => {
  let browser: Browser;
  let shop: Shop;
  let running: RunningApp;
  let url: string;
  let staff: BrowserContext;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const consoleErrors: string[] = [];

  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
  const noToasts = (page: Page) => page.waitForFunction(() => !document.querySelector('.toast'), undefined, { timeout: 10_000 });

  async function staffPage(path = '/'): Promise<Page> {
    const page = await staff.newPage();
    page.setDefaultTimeout(15_000);
    watchConsole(page, consoleErrors);
    await page.goto(`${url}${path}`);
    return page;
  }

  beforeAll(async () => {
    // Short retries: a failing message or endpoint gives up within a second or two.
    shop = await openShop({ retrySchedule: [0.4, 0.4] });
    ({ running, url, browser } = shop);
    await running.app.core.settings.update({ billing: { emailPrice: '0.01', smsPrice: '0.09' } });
    receiver = await startReceiver();
    staff = await staffContext(browser, url);
  }, SLOW);

  afterAll(async () => {
    await shop?.close(staff ? [staff] : []);
    await new Promise((r) => receiver?.server.close(r));
  });

  it(
    'sends a link by email (no SMTP server: the local outbox), shows the server’s field error, previews the email, and refuses unusable links',
    async () => {
      const { core } = running.app;
      const invoice = await core.links.create({ name: 'Invoice 2026-0042', amount: '89.00', reference: 'INV-2026-0042', description: 'Wedding cake, 3 tiers' });
      const page = await staffPage(`/links/${invoice.id}`);
      await page.getByTestId('link-send').click();
      const dialog = page.getByTestId('send-dialog');
      await dialog.getByRole('heading', { name: 'Send link' }).waitFor();
      await expect(dialog.getByTestId('route-email').getAttribute('data-route')).resolves.toBe('local-outbox');

      // A bad address: the server's 422 shows at the field, nothing is queued.
      await dialog.getByLabel('Email address').fill('jane@example');
      await dialog.getByLabel('Personal note').fill('Thank you for your order! Pick-up is on Saturday.');
      await dialog.getByRole('button', { name: 'Send email' }).click();
      await dialog.locator('[data-field="to"] .field-error').waitFor();
      await expect(dialog.locator('[data-field="to"] .field-error').innerText()).resolves.toBe('Not a valid email address.');
      expect((await core.notifications.list({ linkId: invoice.id }, { limit: 10 })).data).toHaveLength(0);
      await shot(page, 'send-dialog');

      await dialog.getByLabel('Email address').fill('jane@example.com');
      await dialog.getByRole('button', { name: 'Send email' }).click();
      await page.getByText('On its way to jane@example.com').waitFor();
      await dialog.waitFor({ state: 'hidden' });
      // The link's messages follow the notification live: queued, then sent.
      await page.locator('[data-testid="link-messages"] [data-status="sent"]').waitFor();
      const email = (await core.notifications.list({ linkId: invoice.id }, { limit: 10 })).data[0]!;
      expect(email).toMatchObject({ channel: 'email', to: 'jane@example.com', status: 'sent', transport: 'local-outbox', message: 'Thank you for your order! Pick-up is on Saturday.' });
      expect(readdirSync(join(running.dataDir, 'outbox', 'email'))).toContain(`${email.id}.eml`);

      // And by SMS.
      await page.getByTestId('link-send').click();
      await dialog.getByRole('radio', { name: 'SMS' }).click();
      await dialog.getByLabel('Mobile number').fill('+49 151 23456789');
      await dialog.getByRole('button', { name: 'Send SMS' }).click();
      await page.getByText('On its way to +4915123456789').waitFor();
      await until(async () => (await core.notifications.list({ linkId: invoice.id, channel: 'sms' }, { limit: 1 })).data[0]?.status === 'sent', 'the SMS to be sent');

      // A link cancelled while the dialog is open: 409, said plainly.
      const voucher = await core.links.create({ name: 'Gift voucher', amount: '50.00' });
      await page.goto(`${url}/links/${voucher.id}`);
      await page.getByTestId('link-send').click();
      await core.links.cancel(voucher.id);
      await dialog.getByLabel('Email address').fill('tom@example.com');
      await dialog.getByRole('button', { name: 'Send email' }).click();
      await expect(dialog.locator('.error-box').innerText()).resolves.toBe('This link cannot be sent: it is Cancelled. Only active links can be sent.');
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await page.close();
    },
    SLOW,
  );

  it(
    'lists messages with status, transport and costs; retries a failed one; previews the email in a sandboxed frame',
    async () => {
      const { core } = running.app;
      // An SMTP server that refuses connections: the message fails after its retries.
      const order = await core.links.create({ name: 'Order 1042', amount: '23.40' });
      await core.settings.update({ email: { host: '127.0.0.1', port: 1, security: 'none' } });
      const failed = await core.notifications.send(order.id, { channel: 'email', to: 'sam@example.com' });
      await until(async () => (await core.notifications.get(failed.id)).status === 'failed', 'the email to fail', 20_000);
      await core.settings.update({ email: { host: null } });
      const email = (await core.notifications.list({ channel: 'email', status: 'sent' }, { limit: 1 })).data[0]!;

      const page = await staffPage('/');
      await page.getByRole('link', { name: 'Messages', exact: true }).click();
      await page.locator(`[data-notification-id="${failed.id}"] [data-status="failed"]`).waitFor();
      await expect(page.locator(`[data-notification-id="${email.id}"] [data-transport]`).getAttribute('data-transport')).resolves.toBe('local-outbox');
      await expect(page.locator(`[data-notification-id="${failed.id}"] .row-error`).innerText()).resolves.toContain('ECONNREFUSED');
      await expect(page.getByTestId('route-email').getAttribute('data-route')).resolves.toBe('local-outbox');
      await page.getByTestId('report-total').locator('.stat-value').filter({ hasText: /^\d+$/ }).waitFor();
      const report = await core.notifications.report();
      await expect(page.getByTestId('report-total').locator('.stat-value').innerText()).resolves.toBe(String(report.total.count));
      await expect(page.getByTestId('report-email').locator('.stat-value').innerText()).resolves.toBe(String(report.email.count));
      await shot(page, 'messages', true);

      // Filters.
      await page.getByLabel('Status').selectOption('failed');
      await page.waitForFunction(() => document.querySelectorAll('[data-notification-id]').length === 1);
      await page.getByLabel('Channel').selectOption('sms');
      await page.getByText('No messages match these filters').waitFor();
      await page.getByRole('button', { name: 'Reset filters' }).click();
      await page.locator(`[data-notification-id="${email.id}"]`).waitFor();

      // Period presets: last month has nothing yet.
      await page.getByRole('radio', { name: 'Last month' }).click();
      await page.waitForFunction(() => document.querySelector('[data-testid="report-total"] .stat-value')?.textContent === '0');
      await page.getByRole('radio', { name: 'This month' }).click();

      // Retry now: the SMTP server is gone from the settings, so it goes to the local outbox.
      await page.locator(`[data-notification-id="${failed.id}"]`).getByTestId('retry').click();
      await page.locator(`[data-notification-id="${failed.id}"] [data-status="sent"]`).waitFor();
      expect(await core.notifications.get(failed.id)).toMatchObject({ status: 'sent', transport: 'local-outbox', attempts: 4 });

      // The preview: the email as the server renders it, in a sandboxed frame.
      await page.locator(`[data-notification-id="${email.id}"] .row-title`).click();
      const frame = page.getByTestId('message-preview');
      await expect(frame.getAttribute('sandbox')).resolves.toBe('');
      const inner = page.frameLocator('[data-testid="message-preview"]');
      await inner.getByText('Invoice 2026-0042').first().waitFor();
      await inner.getByText('Thank you for your order! Pick-up is on Saturday.').waitFor();
      await inner.locator('img[src^="data:image/png"]').waitFor();
      await noToasts(page);
      await shot(page, 'message-preview', true);
      await page.getByRole('link', { name: '← Messages' }).click();
      await page.getByTestId('messages-table').waitFor();

      // An SMS preview is its text.
      const sms = (await core.notifications.list({ channel: 'sms', linkId: email.linkId }, { limit: 1 })).data[0]!;
      await page.goto(`${url}/messages/${sms.id}`);
      await expect(page.locator('.sms-bubble').innerText()).resolves.toContain('Invoice 2026-0042');
      await page.close();
    },
    SLOW,
  );

  it(
    'refuses an eleventh send of a link within the hour (429), saying when to try again',
    async () => {
      const { core } = running.app;
      const tips = await core.links.create({ name: 'Tips jar', reuse: 'multiple', minAmount: '1.00' });
      for (let i = 0; i < 10; i++) await core.notifications.send(tips.id, { channel: 'sms', to: `+49151234567${String(i).padStart(2, '0')}` });
      const page = await staffPage(`/links/${tips.id}`);
      await page.getByTestId('link-send').click();
      const dialog = page.getByTestId('send-dialog');
      await dialog.getByLabel('Email address').fill('tom@example.com');
      await dialog.getByRole('button', { name: 'Send email' }).click();
      await expect(dialog.locator('.error-box').innerText()).resolves.toMatch(/^This link was sent 10 times in the last hour\. Try again in \d+ min\.$/);
      expect((await core.notifications.list({ linkId: tips.id, channel: 'email' }, { limit: 5 })).data).toHaveLength(0);
      await page.close();
    },
    SLOW,
  );

  it(
    'configures email, SMS and prices: write-only password, where messages go now, errors at the field',
    async () => {
      const { core } = running.app;
      const page = await staffPage('/settings#messaging');
      const email = page.getByTestId('email-form');
      await email.waitFor();
      await expect(page.getByTestId('settings-messaging').getByTestId('route-email').getAttribute('data-route')).resolves.toBe('local-outbox');

      await email.getByLabel('SMTP server').fill('smtp.example.com');
      await email.getByLabel('Port').fill('587');
      await email.getByLabel('Connection security').selectOption('starttls');
      await email.getByLabel('User name').fill('shop@bakerybloom.example');
      await email.getByLabel('Password').fill('app-password-1');
      await email.getByLabel('From').fill('Bakery Bloom <shop@bakerybloom.example>');
      await email.getByRole('button', { name: 'Save' }).click();
      await email.locator('.secret-state[data-state="set"]').waitFor();
      await expect(page.getByTestId('settings-messaging').getByTestId('route-email').innerText()).resolves.toBe('Emails are sent through smtp.example.com:587.');
      expect(await core.notifications.config.email()).toMatchObject({ host: 'smtp.example.com', port: 587, user: 'shop@bakerybloom.example', password: 'app-password-1' });
      // The password never comes back to the page.
      expect(await page.content()).not.toContain('app-password-1');

      const sms = page.getByTestId('sms-form');
      await sms.getByLabel('SMS gateway URL').fill('https://user:pw@sms.example/send');
      await sms.getByRole('button', { name: 'Save' }).click();
      await expect(sms.locator('[data-field="gatewayUrl"] .field-error').innerText()).resolves.toBe('must not contain credentials: put them in the Authorization value');
      await sms.getByLabel('SMS gateway URL').fill('');
      expect(await sms.locator('[data-field="gatewayUrl"] .field-error').count()).toBe(0); // changing the field clears its message

      const billing = page.getByTestId('billing-form');
      await billing.getByLabel('Per SMS').fill('0.095');
      await billing.getByRole('button', { name: 'Save' }).click();
      await expect(billing.locator('[data-field="smsPrice"] .field-error').innerText()).resolves.toBe('EUR allows at most 2 decimals');
      await billing.getByLabel('Per SMS').fill('0.09');
      await billing.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved').first().waitFor();
      await noToasts(page);
      // The group with the page around it (document coordinates, from a full-page capture).
      const group = await page.getByTestId('settings-messaging').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { y: r.top + window.scrollY, height: r.height };
      });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SCREENSHOTS, 'settings-messaging.png'), fullPage: true, clip: { x: 240, y: Math.max(0, group.y - 32), width: 1040, height: group.height + 56 } });

      // Change the password (an empty box, never the old value), then go back to the local outbox.
      await email.getByTestId('password-change').click();
      await expect(email.getByLabel('Password').inputValue()).resolves.toBe('');
      await email.getByLabel('Password').fill('app-password-2');
      await email.getByLabel('SMTP server').fill('');
      await email.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('settings-messaging').locator('[data-testid="route-email"][data-route="local-outbox"]').waitFor();
      expect(await core.notifications.config.email()).toMatchObject({ host: null, password: 'app-password-2' });
      await page.close();
    },
    SLOW,
  );

  it(
    'adds a webhook endpoint for a local receiver: the secret once, a test event that is signed with it, the delivery log, redeliver, rotate, disable, edit, delete',
    async () => {
      const { core } = running.app;
      // An endpoint nobody listens on: its deliveries fail, it turns "failing", the feed alerts.
      const dead = await core.webhooks.create({ url: 'http://127.0.0.1:9/nobody-home', description: 'Old ERP', events: ['payment.succeeded'] });
      await core.webhooks.sendTest(dead.id);
      await until(async () => (await core.webhooks.get(dead.id)).status === 'failing', 'the dead endpoint to fail', 20_000);

      const page = await staffPage('/webhooks');
      await page.locator(`[data-endpoint-id="${dead.id}"] [data-status="failing"]`).waitFor();
      await page.getByTestId('new-endpoint').click();
      const form = page.getByTestId('endpoint-form');
      await form.getByLabel('URL').fill('ftp://example.com/hooks');
      await form.getByTestId('endpoint-save').click();
      await expect(form.locator('[data-field="url"] .field-error').innerText()).resolves.toBe('must use http or https');

      await form.getByLabel('URL').fill(receiver.url);
      await form.getByLabel('Description').fill('Accounting');
      await form.getByRole('radio', { name: 'Choose' }).click();
      await form.locator('[data-pattern="link.created"]').click();
      await form.locator('[data-pattern="payment.succeeded"]').isDisabled(); // covered by payment.*
      await form.getByTestId('endpoint-save').click();

      // The secret, once, with a copy button and a plain warning.
      const once = page.getByTestId('secret-once');
      await once.waitFor();
      const secret = await page.getByTestId('secret-value').innerText();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      await expect(once.innerText()).resolves.toContain('You won’t see it again');
      await expect(once.getByRole('button', { name: 'Copy' }).count()).resolves.toBe(1);
      const endpoint = (await core.webhooks.list({ limit: 10 })).data.find((e) => e.url === receiver.url)!;
      expect(endpoint).toMatchObject({ description: 'Accounting', events: ['payment.*', 'link.created'], encryption: 'none', status: 'healthy' });
      expect(page.url()).toBe(`${url}/webhooks/${endpoint.id}`);
      await noToasts(page);
      await shot(page, 'webhook-secret-once');
      await page.getByTestId('secret-done').click();
      await once.waitFor({ state: 'detached' });
      await page.reload();
      await page.getByTestId('endpoint-test').waitFor();
      expect(await page.getByTestId('secret-once').count()).toBe(0);
      expect(await page.content()).not.toContain(secret);

      // A test event: the receiver refuses the first try, takes the retry; both are in the log.
      receiver.failNext.count = 1;
      await page.getByTestId('endpoint-test').click();
      await page.locator('[data-testid="deliveries"] tr[data-status="succeeded"]').waitFor();
      expect(receiver.received.map((r) => r.status)).toEqual([500, 200]);
      const got = receiver.received[1]!;
      const verified = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as { type: string; data: { endpointId: string } };
      expect(verified).toMatchObject({ type: 'webhook.test', data: { endpointId: endpoint.id } });
      const row = page.locator('[data-testid="deliveries"] tr[data-delivery-id]').first();
      await expect(row.locator('td').nth(3).innerText()).resolves.toBe('2');
      await row.click();
      await expect(page.getByTestId('attempts').locator('li').nth(0).innerText()).resolves.toContain('500');
      await expect(page.getByTestId('attempts').locator('li').nth(1).innerText()).resolves.toContain('ok, stored');

      // Redeliver: the same webhook-id once more.
      await row.getByTestId('redeliver').click();
      await until(() => receiver.received.length === 3, 'the redelivery');
      expect(receiver.received[2]!.headers['webhook-id']).toBe(got.headers['webhook-id']);
      await page.waitForFunction(() => document.querySelector('[data-testid="deliveries"] tr[data-delivery-id] td:nth-child(4)')?.textContent === '3');
      await page.locator('[data-testid="deliveries"] tr[data-delivery-id][data-status="succeeded"]').first().waitFor();
      await noToasts(page);
      await shot(page, 'webhook-deliveries', true);

      // Rotate: a new secret, shown once; both sign for 24 h.
      await page.getByTestId('endpoint-rotate').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
      await page.getByTestId('secret-once').waitFor();
      const rotated = await page.getByTestId('secret-value').innerText();
      expect(rotated).not.toBe(secret);
      await expect(page.getByTestId('secret-once').innerText()).resolves.toContain('keeps signing beside this one for 24 hours');
      await page.getByTestId('secret-done').click();
      await page.getByTestId('endpoint-test').click();
      await until(() => receiver.received.length === 4, 'the test after rotating');
      const after = receiver.received[3]!;
      expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(() => new Webhook(rotated).verify(after.body, after.headers as Record<string, string>)).not.toThrow();
      expect(() => new Webhook(secret).verify(after.body, after.headers as Record<string, string>)).not.toThrow();

      // Disable and enable.
      await page.getByTestId('endpoint-toggle').click();
      await page.locator('h1 [data-status="disabled"]').waitFor();
      expect(await page.getByTestId('endpoint-test').isDisabled()).toBe(true);
      await page.getByTestId('endpoint-toggle').click();
      await page.locator('h1 [data-status="healthy"]').waitFor();

      // Edit: switching encryption on shows the new encryption key, once.
      await page.getByTestId('endpoint-edit').click();
      await page.getByTestId('endpoint-form').getByRole('radio', { name: 'AES-256-CBC' }).click();
      await page.getByTestId('endpoint-save').click();
      await page.getByTestId('encryption-key-value').waitFor();
      expect(await page.getByTestId('secret-value').count()).toBe(0);
      expect(Buffer.from(await page.getByTestId('encryption-key-value').innerText(), 'base64')).toHaveLength(32);
      expect((await core.webhooks.get(endpoint.id)).encryption).toBe('aes-256-cbc');
      await page.getByTestId('secret-done').click();

      // The list, then the feed's alert about the dead endpoint.
      await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
      await page.locator(`[data-endpoint-id="${endpoint.id}"] [data-status="healthy"]`).waitFor();
      await noToasts(page);
      await shot(page, 'webhooks');
      await page.getByRole('link', { name: 'Feed', exact: true }).click();
      const alert = page.locator('.feed-alert[data-type="webhook_endpoint.failing"]');
      await alert.waitFor();
      await expect(alert.innerText()).resolves.toContain('Webhook endpoint failing');
      await page.getByRole('radio', { name: 'Alerts' }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-event-id]')].every((e) => e.classList.contains('feed-alert')));
      await alert.click();
      await page.locator('[data-testid="endpoint-failing"]').waitFor();
      expect(page.url()).toBe(`${url}/webhooks/${dead.id}`);

      // Delete the dead one.
      await page.getByTestId('endpoint-delete').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      // The list shows what it had until its reload lands: wait for the row to go.
      await page.locator(`[data-endpoint-id="${dead.id}"]`).waitFor({ state: 'detached' });
      await page.locator(`[data-endpoint-id="${endpoint.id}"]`).waitFor();
      expect((await core.webhooks.list({ limit: 10 })).data.map((e) => e.id)).toEqual([endpoint.id]);
      await page.close();
    },
    SLOW,
  );

  it(
    'edits the callback URL allow-list: a bad URL shows at its row, a good list is saved',
    async () => {
      const { core } = running.app;
      const page = await staffPage('/settings#developers');
      const form = page.getByTestId('callback-urls-form');
      await form.waitFor();
      await form.getByLabel('Return URL 1').fill('https://shop.example/thanks');
      await form.getByTestId('callback-add').click();
      await form.getByLabel('Return URL 2').fill('shop.example/cart');
      await form.getByTestId('callback-save').click();
      await expect(form.locator('[data-row="1"] .field-error').innerText()).resolves.toMatch(/absolute http\(s\) URL/);
      expect(await form.locator('[data-row="0"] .field-error').count()).toBe(0);
      expect((await core.settings.all()).callbackUrls).toEqual([]);

      await form.getByLabel('Return URL 2').fill('https://shop.example/cart');
      await form.getByTestId('callback-add').click();
      await form.getByTestId('callback-save').click();
      await page.getByText('Saved').first().waitFor();
      expect((await core.settings.all()).callbackUrls).toEqual(['https://shop.example/thanks', 'https://shop.example/cart']);
      // The blank row was dropped; removing a row and saving replaces the whole list.
      expect(await form.locator('[data-row]').count()).toBe(2);
      await form.locator('[data-row="0"]').getByRole('button', { name: 'Remove' }).click();
      await form.getByTestId('callback-save').click();
      await until(async () => ((await core.settings.all()).callbackUrls as string[]).length === 1, 'the shorter list');
      expect((await core.settings.all()).callbackUrls).toEqual(['https://shop.example/cart']);
      await page.close();
    },
    SLOW,
  );

  it('had no console errors or CSP violations on any page', () => {
    // The expected 4xx answers (validation, 409, 429) are logged by Chromium too; anything else is a bug.
    const unexpected = consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
    expect(unexpected).toEqual([]);
    expect(existsSync(SCREENSHOTS)).toBe(true);
  });
});
