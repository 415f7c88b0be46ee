import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logCapture, newLink, startApp, startGateway, startSmtp, waitForStatus } from './notifications-fixtures';
import { rawDb } from '../support/raw-db';


describe('secrets stay out of responses and logs', () => {
  it('never returns or logs the SMTP password, the SMS Authorization value or a delivery-report secret', async () => {
    const SMTP_PASS = 'Smtp-Secret-Pass-7781';
    const SMS_AUTH = 'Bearer Sms-Gateway-Token-9932';
    const SETTINGS_PASS = 'Settings-Pass-5521';
    const SETTINGS_AUTH = 'Basic U2V0dGluZ3MtQXV0aC02NjQ=';
    const smtp = await startSmtp('shop@example.com', SMTP_PASS);
    const gateway = await startGateway();
    const log = logCapture();
    // Stripe's key check goes nowhere: the keys only need storing.
    const t = await startApp({ smtpUrl: smtp.url, smsUrl: gateway.url, smsAuth: SMS_AUTH, stripeApiUrl: 'http://127.0.0.1:9', logger: { level: 'trace', stream: log.stream } });
    const bodies: string[] = [];
    try {
      const patch = await t.api('PATCH', '/api/v1/settings', { email: { host: 'smtp.example.com', user: 'x', password: SETTINGS_PASS }, sms: { auth: SETTINGS_AUTH } });
      expect(patch.status, patch.text).toBe(200);
      bodies.push(patch.text, (await t.api('GET', '/api/v1/settings')).text);
      const link = await newLink(t);
      const email = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'jane@example.com' });
      const sms = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '+4915123456789' });
      bodies.push(email.text, sms.text);
      bodies.push(JSON.stringify(await waitForStatus(t, email.body.id, ['sent'])));
      bodies.push(JSON.stringify(await waitForStatus(t, sms.body.id, ['delivered'])));
      bodies.push((await t.api('GET', '/api/v1/notifications')).text);
      bodies.push((await t.api('GET', '/api/v1/events')).text);
      bodies.push((await t.api('GET', `/api/v1/notifications/${sms.body.id}/message?format=json`)).text);

      const callback = gateway.requests[0]!.body.statusCallbackUrl;
      const secret = callback.split('/').pop()!;
      expect(secret).toMatch(/^[A-Za-z0-9]{32}$/);
      // A wrong secret too: the 404 must not echo it either.
      const wrong = await fetch(callback.replace(secret, 'Wrong-Secret-Value-0000000000000'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status":"delivered"}' });
      expect(wrong.status).toBe(404);
      bodies.push(await wrong.text());

      const everything = `${bodies.join('\n')}\n${log.text()}`;
      expect(log.text()).toContain('/hooks/sms/'); // the callback was logged…
      expect(log.text()).toContain('[redacted]'); // …without its secret
      for (const value of [SMTP_PASS, encodeURIComponent(SMTP_PASS), SMS_AUTH, 'Sms-Gateway-Token-9932', SETTINGS_PASS, SETTINGS_AUTH, secret, 'Wrong-Secret-Value-0000000000000']) {
        expect(everything.includes(value), `leaked ${value}`).toBe(false);
      }
      // Only the hash of the callback secret is stored.
      const row = rawDb(t.app.core).prepare('SELECT * FROM notifications WHERE id = ?').get(sms.body.id);
      expect(JSON.stringify(row)).not.toContain(secret);

      // Secrets at rest are sealed: the database file (and its WAL) holds none of them in plain
      // text — the settings' passwords, the Stripe keys, a webhook's signing secret and payload
      // key, the receipt signing key.
      const STRIPE_KEY = 'sk_test_StripeSecretKey4471abcd';
      const STRIPE_HOOK = 'whsec_StripeHookSecret8812abcd';
      expect((await t.api('PATCH', '/api/v1/settings', { stripe: { test: { secretKey: STRIPE_KEY, webhookSecret: STRIPE_HOOK } } })).status).toBe(200);
      const hook = await t.api('POST', '/api/v1/webhook-endpoints', { url: 'https://example.com/hooks/counterlink', events: ['payment.succeeded'], encryption: 'aes-256-cbc' });
      expect(hook.status, hook.text).toBe(201);
      const receiptKey = (await t.app.core.store.read((tx) => tx.settings.get<{ privateKey: string }>('receiptSigningKey')))!.privateKey;
      const dbFile = join(t.dataDir, 'counterlink.sqlite');
      const files = [dbFile, `${dbFile}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1'));
      expect(files.length).toBeGreaterThan(0);
      const onDisk = files.join('\n');
      expect(onDisk).toContain('sealed:v1:');
      for (const value of [SETTINGS_PASS, SETTINGS_AUTH, STRIPE_KEY, STRIPE_HOOK, hook.body.secret, hook.body.encryptionKey, receiptKey]) {
        expect(typeof value).toBe('string');
        expect(onDisk.includes(value), `stored in plain text: ${String(value).slice(0, 8)}…`).toBe(false);
      }
      // …and they still work: the API reads them back as set.
      const settings = (await t.api('GET', '/api/v1/settings')).body;
      expect(settings.email.passwordSet).toBe(true);
      expect(settings.stripe.test.secretKeySet).toBe(true);
    } finally {
      await t.close();
      await smtp.close();
      await gateway.close();
    }
  });
});
