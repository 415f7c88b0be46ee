import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock';
import { countRows } from './helpers';
import { eventTypes, newLink, startApp, waitForStatus, type MsgApp } from './notifications-fixtures';

let t: MsgApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number, type: string) { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect({ status: res.status, type: res.body?.type }).toEqual({ status, type });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return res.body;
}

async function nothingQueued(app: MsgApp): Promise<void> {
  expect(await countRows(app.app.core, 'notifications')).toBe(0);
  // Nothing of kind email or sms: webhooks are the only other outbox kind, and none is configured here.
  expect(await countRows(app.app.core, 'outbox_messages')).toBe(0);
  expect(await eventTypes(app)).toEqual([]);
}

describe('POST /links/{id}/send refusals', () => {
  it('refuses bad email addresses and phone numbers with 422 on `to`, queueing nothing', async () => {
    t = await startApp();
    const link = await newLink(t);
    const bad: [string, string][] = [
      ['email', 'not-an-email'],
      ['email', 'jane@localhost'],
      ['email', 'jane doe@example.com'],
      ['email', 'jane@example.com\r\nBcc: all@example.com'],
      ['email', 'jane@example.com, eve@example.com'],
      ['email', '<jane@example.com>'],
      ['email', 'jane@exa_mple.com'],
      ['email', '+4915123456789'],
      ['sms', '12345'],
      ['sms', '+49 151'],
      ['sms', 'call me'],
      ['sms', 'jane@example.com'],
      ['sms', '0151 23456789'], // no country code, and neither the link nor the merchant has a country
    ];
    for (const [channel, to] of bad) {
      const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel, to });
      const body = expectProblem(res, 422, 'validation-error');
      expect(body.errors.map((e: { path: string }) => e.path), `${channel} ${to}`).toEqual(['to']);
    }
    const noCountry = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '0151 23456789' });
    expect(noCountry.body.errors[0].message).toMatch(/country/);
    await nothingQueued(t);
  });

  it('validates the body by schema: channel, to, locale, message, unknown fields', async () => {
    t = await startApp();
    const link = await newLink(t);
    const cases: [unknown, string][] = [
      [{ channel: 'fax', to: 'a@example.com' }, 'channel'],
      [{ channel: 'email' }, 'to'],
      [{ channel: 'email', to: 42 }, 'to'],
      [{ channel: 'email', to: 'a@example.com', locale: 'es' }, 'locale'],
      [{ channel: 'email', to: 'a@example.com', message: 'x'.repeat(1001) }, 'message'],
      [{ channel: 'sms', to: '+4915123456789', message: 'x'.repeat(301) }, 'message'],
      [{ channel: 'email', to: 'a@example.com', cc: 'b@example.com' }, 'cc'],
    ];
    for (const [body, path] of cases) {
      const res = await t.api('POST', `/api/v1/links/${link.id}/send`, body);
      const problem = expectProblem(res, 422, 'validation-error');
      expect(problem.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
    expectProblem(await t.api('POST', '/api/v1/links/pl_unknown/send', { channel: 'email', to: 'a@example.com' }), 404, 'not-found');
    await nothingQueued(t);
  });

  it('sends enabled and locked links; refuses the others with 409 link-not-usable', async () => {
    t = await startApp();
    const disabled = await newLink(t);
    await t.api('PATCH', `/api/v1/links/${disabled.id}`, { enabled: false });
    const cancelled = await newLink(t);
    await t.api('POST', `/api/v1/links/${cancelled.id}/cancel`);
    const consumed = await newLink(t);
    const { payment } = await t.app.core.payments.start(consumed.id, {});
    await t.app.core.payments.complete(payment.id, 'succeeded');
    for (const [link, status] of [
      [disabled, 'disabled'],
      [cancelled, 'cancelled'],
      [consumed, 'consumed'],
    ] as const) {
      const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'a@example.com' });
      expect(expectProblem(res, 409, 'link-not-usable').linkStatus).toBe(status);
    }
    await nothingQueued(t);

    const locked = await newLink(t);
    await t.app.core.payments.start(locked.id, {});
    expect((await t.api('GET', `/api/v1/links/${locked.id}`)).body.status).toBe('locked');
    expect((await t.api('POST', `/api/v1/links/${locked.id}/send`, { channel: 'email', to: 'a@example.com' })).status).toBe(202);
  });

  it('refuses an expired link', async () => {
    const clock = new ManualClock(Date.now());
    t = await startApp({ clock });
    const link = await newLink(t, { expiresInMinutes: 5 });
    clock.advance(5 * 60_000);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'a@example.com' });
    expect(expectProblem(res, 409, 'link-not-usable').linkStatus).toBe('expired');
  });
});

describe('rate limit and idempotency', () => {
  it('allows 10 accepted sends of one link per hour, then 429 with Retry-After; refusals do not count', async () => {
    const clock = new ManualClock(Date.now());
    t = await startApp({ clock });
    const link = await newLink(t);
    const other = await newLink(t);
    for (let i = 0; i < 10; i++) {
      const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: `c${i}@example.com` });
      expect(res.status, res.text).toBe(202);
      // A refused request in between is not a send.
      expect((await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'broken' })).status).toBe(422);
      clock.advance(60_000);
    }
    const limited = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'sms', to: '+4915123456789' });
    expectProblem(limited, 429, 'rate-limited');
    // The first send leaves the window 3600 s after it was made; 10 minutes have passed.
    expect(Number(limited.headers.get('retry-after'))).toBe(3000);
    expect((await t.api('POST', `/api/v1/links/${other.id}/send`, { channel: 'email', to: 'x@example.com' })).status).toBe(202);

    clock.advance(3000 * 1000);
    expect((await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'late@example.com' })).status).toBe(202);
    expectProblem(await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'later@example.com' }), 429, 'rate-limited');
    expect((await t.api('GET', `/api/v1/notifications?linkId=${link.id}&limit=200`)).body.data).toHaveLength(11);
  });

  it('replays a send with the same Idempotency-Key (no second message), and refuses the key with another body', async () => {
    t = await startApp();
    const link = await newLink(t);
    const headers = { 'idempotency-key': 'send-1' };
    const first = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'a@example.com' }, headers);
    expect(first.status).toBe(202);
    const again = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'a@example.com' }, headers);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expectProblem(await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'b@example.com' }, headers), 409, 'idempotency-conflict');
    expect((await t.api('GET', '/api/v1/notifications')).body.data).toHaveLength(1);
    // Replays do not use up the rate limit either.
    for (let i = 0; i < 20; i++) await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'a@example.com' }, headers);
    for (let i = 0; i < 9; i++) expect((await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: `n${i}@example.com` })).status).toBe(202);
  });
});

describe('GET /notifications', () => {
  it('lists newest first with filters and cursor paging', async () => {
    t = await startApp();
    const a = await newLink(t);
    const b = await newLink(t);
    const ids: string[] = [];
    ids.push((await t.api('POST', `/api/v1/links/${a.id}/send`, { channel: 'email', to: 'a1@example.com' })).body.id);
    ids.push((await t.api('POST', `/api/v1/links/${a.id}/send`, { channel: 'sms', to: '+4915123456789' })).body.id);
    ids.push((await t.api('POST', `/api/v1/links/${b.id}/send`, { channel: 'email', to: 'b1@example.com' })).body.id);
    for (const id of ids) await waitForStatus(t, id, ['sent']);

    const all = await t.api('GET', '/api/v1/notifications');
    expect(all.body.data.map((n: { id: string }) => n.id)).toEqual([...ids].reverse());
    expect(all.body.nextCursor).toBeNull();
    expect((await t.api('GET', `/api/v1/notifications?linkId=${a.id}`)).body.data.map((n: { id: string }) => n.id)).toEqual([ids[1], ids[0]]);
    expect((await t.api('GET', '/api/v1/notifications?channel=sms')).body.data.map((n: { id: string }) => n.id)).toEqual([ids[1]]);
    expect((await t.api('GET', '/api/v1/notifications?status=sent')).body.data).toHaveLength(3);
    expect((await t.api('GET', '/api/v1/notifications?status=failed')).body.data).toHaveLength(0);

    const page1 = await t.api('GET', '/api/v1/notifications?limit=2');
    expect(page1.body.data).toHaveLength(2);
    const page2 = await t.api('GET', `/api/v1/notifications?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ data: [{ id: ids[0] }], nextCursor: null });

    expectProblem(await t.api('GET', '/api/v1/notifications?status=lost'), 422, 'validation-error');
    expectProblem(await t.api('GET', '/api/v1/notifications?cursor=garbage'), 422, 'validation-error');
    expectProblem(await t.api('GET', '/api/v1/notifications/ntf_unknown'), 404, 'not-found');
    expectProblem(await t.api('GET', '/api/v1/notifications/ntf_unknown/message'), 404, 'not-found');
    expect((await t.api('GET', '/api/v1/notifications', undefined, { authorization: 'Bearer wrong-key-000000' })).status).toBe(401);
  });
});

describe('billing: GET /reports/messages', () => {
  it('counts every sent message per channel with the price it had when sent', async () => {
    t = await startApp();
    const prices = await t.api('PATCH', '/api/v1/settings', { billing: { emailPrice: '0.05', smsPrice: '0.09' } });
    expect(prices.status, prices.text).toBe(200);
    expect(prices.body.billing).toEqual({ emailPrice: '0.05', smsPrice: '0.09', currency: 'EUR' });
    const link = await newLink(t);
    const sends = [
      { channel: 'email', to: 'a@example.com' },
      { channel: 'email', to: 'b@example.com' },
      { channel: 'sms', to: '+4915123456789' },
    ];
    const ids: string[] = [];
    for (const body of sends) ids.push((await t.api('POST', `/api/v1/links/${link.id}/send`, body)).body.id);
    for (const id of ids) await waitForStatus(t, id, ['sent']);
    expect((await t.api('GET', `/api/v1/notifications/${ids[0]}`)).body).toMatchObject({ cost: '0.05', currency: 'EUR' });

    const report = await t.api('GET', '/api/v1/reports/messages');
    expect(report.status, report.text).toBe(200);
    expect(report.body).toEqual({
      from: null,
      to: null,
      currency: 'EUR',
      email: { count: 2, cost: '0.10' },
      sms: { count: 1, cost: '0.09' },
      total: { count: 3, cost: '0.19' },
      otherCurrencies: [],
    });

    // A later price applies to later messages only.
    await t.api('PATCH', '/api/v1/settings', { billing: { emailPrice: '1.00' } });
    const later = (await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'c@example.com' })).body.id;
    await waitForStatus(t, later, ['sent']);
    expect((await t.api('GET', '/api/v1/reports/messages')).body.email).toEqual({ count: 3, cost: '1.10' });

    // Time windows: [from, to).
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await t.api('GET', `/api/v1/reports/messages?from=${future}`)).body).toMatchObject({ email: { count: 0, cost: '0.00' }, sms: { count: 0, cost: '0.00' }, from: future });
    expect((await t.api('GET', `/api/v1/reports/messages?from=${past}&to=${future}`)).body.total.count).toBe(4);
    expect((await t.api('GET', `/api/v1/reports/messages?to=${past}`)).body.total.count).toBe(0);
    expectProblem(await t.api('GET', '/api/v1/reports/messages?from=yesterday'), 422, 'validation-error');

    // A new billing currency: earlier messages are kept apart, not mixed in.
    const jpy = await t.api('PATCH', '/api/v1/settings', { billing: { currency: 'JPY', emailPrice: '8', smsPrice: '15' } });
    expect(jpy.body.billing).toEqual({ emailPrice: '8', smsPrice: '15', currency: 'JPY' });
    const yen = await t.api('GET', '/api/v1/reports/messages');
    expect(yen.body).toMatchObject({ currency: 'JPY', email: { count: 0, cost: '0' }, total: { count: 4, cost: '0' } });
    expect(yen.body.otherCurrencies).toEqual([
      { currency: 'EUR', channel: 'email', count: 3, cost: '1.10' },
      { currency: 'EUR', channel: 'sms', count: 1, cost: '0.09' },
    ]);
  });
});

describe('settings: email, sms, billing', () => {
  it('validates the sections and keeps secrets write-only', async () => {
    t = await startApp();
    const invalid: [unknown, string][] = [
      [{ email: { port: 0 } }, 'email.port'],
      [{ email: { security: 'ssl' } }, 'email.security'],
      [{ email: { from: 'not an address' } }, 'email.from'],
      [{ email: { host: 'bad host!' } }, 'email.host'],
      [{ email: { colour: 'red' } }, 'email.colour'],
      [{ sms: { gatewayUrl: 'ftp://gw.example' } }, 'sms.gatewayUrl'],
      [{ sms: { gatewayUrl: 'https://user:pw@gw.example/send' } }, 'sms.gatewayUrl'],
      [{ sms: { sender: 'A very long sender name' } }, 'sms.sender'],
      [{ billing: { emailPrice: '0.001' } }, 'billing.emailPrice'],
      [{ billing: { smsPrice: '-1' } }, 'billing.smsPrice'],
      [{ billing: { currency: 'XYZ' } }, 'billing.currency'],
    ];
    for (const [body, path] of invalid) {
      const res = await t.api('PATCH', '/api/v1/settings', body);
      const problem = expectProblem(res, 422, 'validation-error');
      expect(problem.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
    await t.api('PATCH', '/api/v1/settings', { billing: { emailPrice: '0.05' } });
    // Switching to a currency without decimals needs prices that fit it.
    const jpy = await t.api('PATCH', '/api/v1/settings', { billing: { currency: 'JPY' } });
    expect(expectProblem(jpy, 422, 'validation-error').errors[0].path).toBe('billing.emailPrice');

    const patch = await t.api('PATCH', '/api/v1/settings', {
      email: { host: 'smtp.example.com', port: 465, security: 'tls', user: 'shop', password: 'P@ss-Word-One-111', from: 'Shop <shop@example.com>' },
      sms: { gatewayUrl: 'https://sms.example.com/send', auth: 'Bearer Sms-Token-222', sender: 'MyShop' },
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body.email).toEqual({
      host: 'smtp.example.com',
      port: 465,
      security: 'tls',
      user: 'shop',
      passwordSet: true,
      from: 'Shop <shop@example.com>',
      transport: 'smtp',
      overriddenByEnvironment: false,
    });
    expect(patch.body.sms).toEqual({
      gatewayUrl: 'https://sms.example.com/send',
      authSet: true,
      sender: 'MyShop',
      callbackBaseUrl: null,
      transport: 'sms-gateway',
      overriddenByEnvironment: false,
    });
    const get = await t.api('GET', '/api/v1/settings');
    for (const text of [patch.text, get.text]) {
      expect(text).not.toContain('P@ss-Word-One-111');
      expect(text).not.toContain('Sms-Token-222');
    }
    // Clearing a secret.
    const cleared = await t.api('PATCH', '/api/v1/settings', { email: { password: null }, sms: { auth: null } });
    expect(cleared.body.email.passwordSet).toBe(false);
    expect(cleared.body.sms.authSet).toBe(false);
  });

  it('shows environment overrides without their secrets', async () => {
    t = await startApp({ smtpUrl: 'smtps://env-user:Env-Secret-333@mail.example.com', mailFrom: 'shop@example.com', smsUrl: 'https://gw.example/api', smsAuth: 'Basic RW52LVNtcy00NDQ=' });
    const get = await t.api('GET', '/api/v1/settings');
    expect(get.body.email).toMatchObject({ transport: 'smtp', overriddenByEnvironment: true, passwordSet: false });
    expect(get.body.sms).toMatchObject({ transport: 'sms-gateway', overriddenByEnvironment: true, authSet: false });
    expect(get.text).not.toContain('Env-Secret-333');
    expect(get.text).not.toContain('RW52LVNtcy00NDQ=');
  });

  it('refuses a malformed COUNTERLINK_SMTP_URL at start', async () => {
    const { createApp } = await import('../../server/create-app');
    const { makeTempDir } = await import('./helpers');
    await expect(createApp({ dataDir: makeTempDir(), port: 0, host: '127.0.0.1', smtpUrl: 'http://mail.example.com' })).rejects.toThrow(/smtp:\/\//);
  });
});

describe('OpenAPI', () => {
  it('documents the messaging routes', async () => {
    t = await startApp();
    const doc = (await t.api('GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/v1/links/{id}/send'].post.responses['202']).toBeDefined();
    expect(doc.paths['/api/v1/notifications'].get).toBeDefined();
    expect(doc.paths['/api/v1/notifications/{id}'].get).toBeDefined();
    expect(doc.paths['/api/v1/notifications/{id}/message'].get).toBeDefined();
    expect(doc.paths['/api/v1/notifications/{id}/retry'].post).toBeDefined();
    expect(doc.paths['/api/v1/reports/messages'].get).toBeDefined();
    expect(doc.paths['/hooks/sms/{id}/{secret}'].post).toBeDefined();
    const settings = JSON.stringify(doc.components.schemas.Settings);
    expect(settings).toContain('passwordSet');
    expect(settings).not.toContain('"password"');
  });
});
