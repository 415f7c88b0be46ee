/**
 * Browser mode on the server side, without a browser: the session login, cookie + CSRF rules on
 * the Service API, the PIN, the served UI's headers, the public display endpoints, the events
 * filters the staff UI uses. Real app on a temp SQLite file; requests with fastify.inject.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/create-app';
import { startApp } from '../support/app';
import { AUTH } from '../support/keys';
import { ManualClock } from '../../core/clock';
import { API_KEY, CSRF, tempDir } from './staff-helpers';
import { rawDb } from '../support/raw-db';

let app: App;
let clock: ManualClock;
let dataDir: string;
let uiDir: string;

type Res = { status: number; headers: Record<string, unknown>; body: any; text: string }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function req(method: string, url: string, options: { body?: unknown; headers?: Record<string, string>; cookie?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.server.inject({ method: method as 'GET', url, headers, ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}) });
  let body: unknown;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, headers: res.headers as Record<string, unknown>, body, text: res.body };
}

const bearer = AUTH;

/** Logs in and returns the `name=value` part of the session cookie. */
async function login(body: Record<string, string> = { method: 'apiKey', apiKey: API_KEY }, ip?: string): Promise<{ res: Res; cookie: string | undefined }> {
  const res = await app.server.inject({
    method: 'POST',
    url: '/staff/login',
    headers: { ...CSRF, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    ...(ip ? { remoteAddress: ip } : {}),
  });
  const setCookie = res.headers['set-cookie'];
  const cookie = typeof setCookie === 'string' ? setCookie.split(';')[0] : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  return { res: { status: res.statusCode, headers: res.headers as Record<string, unknown>, body: parsed, text: res.body }, cookie };
}

beforeAll(async () => {
  dataDir = tempDir();
  uiDir = tempDir('counterlink-ui-');
  // A stand-in for the built UI: the server must serve whatever vite produced.
  mkdirSync(join(uiDir, 'ui'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><html><head><script type="module" src="./ui/app.js"></script></head><body></body></html>');
  writeFileSync(join(uiDir, 'ui', 'app.js'), 'console.log("ui")');
  process.env.COUNTERLINK_UI_DIR = uiDir;
  clock = new ManualClock('2026-01-15T10:00:00.000Z');
  app = (await startApp({ dataDir, baseUrl: 'http://127.0.0.1:4780', clock, displayResultMs: 1500 })).app;
  delete process.env.COUNTERLINK_UI_DIR;
});

afterAll(async () => {
  await app?.close();
});

describe('the served staff UI', () => {
  it('serves index.html at / and every client route with a strict CSP, and its assets', async () => {
    for (const path of ['/', '/links', '/links/pl_x/edit', '/payments/pay_1', '/messages', '/messages/ntf_1', '/webhooks', '/webhooks/we_1/edit', '/feed', '/settings', '/login', '/display/pos_anything', '/print/links/pl_x']) {
      const res = await req('GET', path);
      expect(res.status, path).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
      const csp = String(res.headers['content-security-policy']);
      for (const directive of ["default-src 'self'", "script-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'", "frame-ancestors 'none'"]) {
        expect(csp, path).toContain(directive);
      }
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-frame-options']).toBe('DENY');
      // Relative asset URLs resolve from the root at any depth.
      expect(res.text).toContain('<base href="/">');
    }
    const asset = await req('GET', '/ui/app.js');
    expect(asset.status).toBe(200);
    expect(String(asset.headers['cache-control'])).toContain('immutable');
    expect((await req('GET', '/ui/../index.html')).status).toBe(404);
  });

  it('asks for a build when the UI is missing', async () => {
    const empty = tempDir('counterlink-noui-');
    process.env.COUNTERLINK_UI_DIR = empty;
    const other = (await startApp({ baseUrl: 'http://127.0.0.1:4780' })).app;
    delete process.env.COUNTERLINK_UI_DIR;
    try {
      const res = await other.server.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build:ui');
    } finally {
      await other.close();
    }
  });
});

describe('session login', () => {
  it('logs in with the API key: an httpOnly, SameSite=Strict cookie whose token is stored only hashed', async () => {
    const { res, cookie } = await login();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ authenticated: true, method: 'apiKey' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^counterlink_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(String(res.headers['cache-control'])).toContain('no-store');
    const token = cookie!.split('=')[1]!;
    // Neither the token nor the key is anywhere in the data directory.
    rawDb(app.core).pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dataDir).filter((n) => n.startsWith('counterlink.sqlite'))) {
      const bytes = readFileSync(join(dataDir, f));
      expect(bytes.includes(Buffer.from(token)), f).toBe(false);
    }
    expect((await req('GET', '/staff/session', { cookie })).body).toMatchObject({ authenticated: true, method: 'apiKey' });
  });

  it('accepts the cookie on /api/v1 for reads; changes need X-Counterlink-CSRF: 1', async () => {
    const { cookie } = await login();
    expect((await req('GET', '/api/v1/links', { cookie })).status).toBe(200);
    const refused = await req('POST', '/api/v1/links', { cookie, body: { name: 'CSRF test', amount: '1.00' } });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('forbidden');
    // A classic cross-site form post is refused the same way.
    const form = await app.server.inject({ method: 'POST', url: '/api/v1/charges', headers: { cookie: cookie!, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'amount=5' });
    expect(form.statusCode).toBe(403);
    const ok = await req('POST', '/api/v1/links', { cookie, headers: CSRF, body: { name: 'CSRF test', amount: '1.00' } });
    expect(ok.status).toBe(201);
    // The bearer key never needs the header.
    expect((await req('POST', '/api/v1/links', { headers: bearer, body: { name: 'Bearer', amount: '1.00' } })).status).toBe(201);
    // A present Authorization header decides alone: a bad key with a good cookie is still 401.
    expect((await req('GET', '/api/v1/links', { cookie, headers: { authorization: 'Bearer wrong-key-123' } })).status).toBe(401);
  });

  it('refuses a login without the CSRF header, a wrong key, and a malformed body', async () => {
    const noHeader = await app.server.inject({ method: 'POST', url: '/staff/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ method: 'apiKey', apiKey: API_KEY }) });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.headers['set-cookie']).toBeUndefined();
    const wrong = await login({ method: 'apiKey', apiKey: 'clk_wrong_wrong' }, '10.0.0.50');
    expect(wrong.res.status).toBe(401);
    expect(wrong.cookie).toBeUndefined();
    expect((await login({ method: 'password', secret: 'x' }, '10.0.0.51')).res.status).toBe(422);
  });

  it('logout ends the session at once and clears the cookie', async () => {
    const { cookie } = await login();
    const out = await app.server.inject({ method: 'POST', url: '/staff/logout', headers: { ...CSRF, cookie: cookie! } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^counterlink_session=;.*Max-Age=0/);
    const after = await req('GET', '/api/v1/links', { cookie });
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/session/);
    expect((await req('GET', '/staff/session', { cookie })).body).toMatchObject({ authenticated: false });
  });

  it('ends a session after 12 idle hours, and one whose API key was revoked', async () => {
    const { cookie } = await login();
    clock.advance(11 * 3_600_000);
    expect((await req('GET', '/api/v1/links', { cookie })).status).toBe(200);
    clock.advance(11 * 3_600_000); // used 11 h ago: still fine
    expect((await req('GET', '/api/v1/links', { cookie })).status).toBe(200);
    clock.advance(12 * 3_600_000 + 1000);
    expect((await req('GET', '/api/v1/links', { cookie })).status).toBe(401);

    const { key, record } = await app.core.apiKeys.generate('Temp');
    const other = await login({ method: 'apiKey', apiKey: key });
    expect((await req('GET', '/api/v1/links', { cookie: other.cookie })).status).toBe(200);
    await app.core.apiKeys.revoke(record.id);
    expect((await req('GET', '/api/v1/links', { cookie: other.cookie })).status).toBe(401);
  });
});

describe('staff PIN', () => {
  it('is set through the API, stored as an scrypt hash, opens a session, and a change ends PIN sessions', async () => {
    expect((await req('GET', '/staff/session')).body).toMatchObject({ authenticated: false, pinSet: false });
    expect((await login({ method: 'pin', pin: '2468' }, '10.0.1.1')).res.status).toBe(401);
    const bad = await req('PUT', '/api/v1/staff/pin', { headers: bearer, body: { pin: '12a4' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: 'pin', message: 'must be 4 to 12 digits', code: expect.any(String) }]);
    expect((await req('PUT', '/api/v1/staff/pin', { headers: bearer, body: { pin: '2468' } })).body).toEqual({ pinSet: true });

    const stored = (await app.core.store.read((t) => t.settings.get<{ algorithm: string; hash: string; salt: string; N: number }>('staffPin')))!;
    expect(stored.algorithm).toBe('scrypt');
    expect(stored.N).toBeGreaterThanOrEqual(16384);
    expect(JSON.stringify(stored)).not.toContain('2468');
    expect(JSON.stringify((await req('GET', '/api/v1/settings', { headers: bearer })).body)).not.toContain(stored.hash);

    const ok = await login({ method: 'pin', pin: '2468' }, '10.0.1.2');
    expect(ok.res.status).toBe(200);
    expect(ok.res.body).toMatchObject({ method: 'pin', pinSet: true });
    expect((await req('GET', '/api/v1/payments', { cookie: ok.cookie })).status).toBe(200);
    expect((await login({ method: 'pin', pin: '2469' }, '10.0.1.2')).res.status).toBe(401);

    // Changing the PIN (here with the session's own cookie + CSRF header) logs PIN sessions out.
    expect((await req('PUT', '/api/v1/staff/pin', { cookie: ok.cookie, headers: CSRF, body: { pin: '97531' } })).status).toBe(200);
    expect((await req('GET', '/api/v1/payments', { cookie: ok.cookie })).status).toBe(401);
    expect((await login({ method: 'pin', pin: '2468' }, '10.0.1.3')).res.status).toBe(401);
    expect((await login({ method: 'pin', pin: '97531' }, '10.0.1.3')).res.status).toBe(200);
  });

  it('slows down guessing: 5 failures in 15 minutes block the address and the PIN with 429', async () => {
    clock.advance(16 * 60_000); // the failures of the test before are out of the window
    const ip = '10.0.2.9';
    for (let i = 0; i < 5; i++) expect((await login({ method: 'pin', pin: `000${i}` }, ip)).res.status).toBe(401);
    const blocked = await login({ method: 'pin', pin: '97531' }, ip);
    expect(blocked.res.status).toBe(429);
    expect(Number(blocked.res.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.cookie).toBeUndefined();
    // API.md counts failures per staff user too: the PIN is refused from another address as well...
    expect((await login({ method: 'pin', pin: '97531' }, '10.0.2.10')).res.status).toBe(429);
    // ...until the block is over.
    clock.advance(15 * 60_000 + 1000);
    expect((await login({ method: 'pin', pin: '97531' }, '10.0.2.10')).res.status).toBe(200);
    expect((await login({ method: 'pin', pin: '97531' }, ip)).res.status).toBe(200);
  });
});

describe('public counter display', () => {
  const posId = async () => (await app.core.pointsOfSale.list()).find((p) => p.isDefault)!.id;

  it('gives the display state without a credential, with nothing but what the display shows', async () => {
    await app.core.settings.update({ merchantName: 'Bakery Bloom' });
    const idle = await req('GET', `/display/${await posId()}/state`);
    expect(idle.status).toBe(200);
    expect(idle.headers['access-control-allow-origin']).toBe('*');
    expect(idle.body).toMatchObject({ pointOfSaleId: await posId(), mode: 'idle', merchantName: 'Bakery Bloom', link: null, idleLink: null });

    const charge = await req('POST', '/api/v1/charges', { headers: bearer, body: { amount: '12.50', reference: 'Table 4', metadata: { secret: 'internal' } } });
    const shown = await req('GET', `/display/${await posId()}/state`);
    expect(shown.body.mode).toBe('link');
    expect(shown.body.link).toEqual({
      name: charge.body.name,
      description: null,
      reference: 'Table 4',
      amount: '12.50',
      minAmount: null,
      currency: 'EUR',
      url: charge.body.url,
      expiresAt: charge.body.expiresAt,
      locale: 'en',
    });
    expect(shown.text).not.toContain('internal');
    expect(shown.text.split(charge.body.id).length - 1).toBe(1); // the link id only inside its URL

    const { payment } = await app.core.payments.start(charge.body.id, { payer: { name: 'Ada', email: 'ada@example.com' } });
    const paying = await req('GET', `/display/${await posId()}/state`);
    expect(paying.body.mode).toBe('paying');
    expect(paying.text).not.toContain('ada@example.com');
    await app.core.payments.complete(payment.id, 'succeeded');
    const paid = await req('GET', `/display/${await posId()}/state`);
    expect(paid.body).toMatchObject({ mode: 'result', result: { status: 'succeeded', amount: '12.50', currency: 'EUR' } });
    expect(paid.text).not.toContain(payment.refId);
    expect(paid.text).not.toContain('Ada');
  });

  it('unknown points of sale are 404, and the staff API stays closed to display callers', async () => {
    expect((await req('GET', '/display/pos_nope/state')).status).toBe(404);
    expect((await req('GET', '/display/pos_nope/events')).status).toBe(404);
    expect((await req('GET', `/api/v1/display?pointOfSaleId=${await posId()}`)).status).toBe(401);
  });

  it('chooses a reusable link as the idle QR; single-use links are refused', async () => {
    const single = await app.core.links.create({ name: 'Once', amount: '2.00' });
    const refused = await req('PUT', `/api/v1/staff/displays/${await posId()}`, { headers: bearer, body: { idleLinkId: single.id } });
    expect(refused.status).toBe(409);
    const tips = await app.core.links.create({ name: 'Tips', reuse: 'multiple', minAmount: '1.00' });
    const set = await req('PUT', `/api/v1/staff/displays/${await posId()}`, { headers: bearer, body: { idleLinkId: tips.id } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ pointOfSaleId: await posId(), idleLinkId: tips.id, path: `/display/${await posId()}` });
    expect((await req('GET', '/api/v1/staff/displays', { headers: bearer })).body.data[0]).toMatchObject({ idleLinkId: tips.id });
    await req('POST', '/api/v1/display/clear', { headers: bearer, body: {} });
    const idle = await req('GET', `/display/${await posId()}/state`);
    expect(idle.body).toMatchObject({ mode: 'idle', idleLink: { name: 'Tips', amount: null, url: tips.url } });
    // A disabled idle link is not shown.
    await app.core.links.update(tips.id, { enabled: false });
    expect((await req('GET', `/display/${await posId()}/state`)).body.idleLink).toBeNull();
    expect((await req('PUT', `/api/v1/staff/displays/${await posId()}`, { headers: bearer, body: { idleLinkId: null } })).body.idleLinkId).toBeNull();
  });

  it('streams the current state first, then each change, carrying only display data', async () => {
    await app.listen();
    const address = app.server.server.address() as { port: number };
    const url = `http://127.0.0.1:${address.port}`;
    const controller = new AbortController();
    const res = await fetch(`${url}/display/${await posId()}/events`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const next = async (): Promise<Record<string, unknown>> => {
      for (;;) {
        const idx = buffer.indexOf('\n\n');
        if (idx >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6)) as Record<string, unknown>;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const first = await next();
    expect(first.mode).toBe('idle');
    await req('POST', '/api/v1/charges', { headers: bearer, body: { amount: '3.20' } });
    const second = await next();
    expect(second).toMatchObject({ mode: 'link', link: { amount: '3.20' } });
    expect(Object.keys(second).sort()).toEqual(['bankTransfer', 'idleLink', 'link', 'livemode', 'locale', 'merchantName', 'mode', 'pointOfSaleId', 'result', 'serverTime', 'updatedAt']);
    expect(second.bankTransfer).toBeNull(); // only a charge paid by transfer shows the EPC QR
    // Other points of sale and other events do not reach this display.
    const other = await app.core.pointsOfSale.create({ name: 'Terrace' });
    await req('POST', '/api/v1/charges', { headers: bearer, body: { amount: '9.99', pointOfSaleId: other.id } });
    await app.core.links.create({ name: 'Unrelated', amount: '1.00' });
    await req('POST', '/api/v1/display/clear', { headers: bearer, body: {} });
    expect((await next()).mode).toBe('idle');
    controller.abort();
  });
});

describe('events filters for the staff UI', () => {
  it('lists one link’s events, newest first with a before-cursor, and refuses those filters on the stream', async () => {
    const link = await app.core.links.create({ name: 'Timeline', amount: '4.00' });
    const { payment } = await app.core.payments.start(link.id, {});
    await app.core.payments.complete(payment.id, 'failed');
    await app.core.links.create({ name: 'Noise', amount: '1.00' });
    const all = await req('GET', `/api/v1/events?linkId=${link.id}&limit=200`, { headers: bearer });
    expect(all.status).toBe(200);
    const types = all.body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(['link.created', 'payment.created', 'link.locked', 'payment.failed', 'link.unlocked']);
    for (const e of all.body.data) {
      const d = e.data as { id: string; linkId?: string };
      expect(d.linkId === link.id || d.id === link.id).toBe(true);
    }
    const desc = await req('GET', `/api/v1/events?linkId=${link.id}&order=desc&limit=2`, { headers: bearer });
    expect(desc.body.data.map((e: { type: string }) => e.type)).toEqual(['link.unlocked', 'payment.failed']);
    const older = await req('GET', `/api/v1/events?linkId=${link.id}&order=desc&limit=2&before=${desc.body.nextCursor}`, { headers: bearer });
    expect(older.body.data.map((e: { type: string }) => e.type)).toEqual(['link.locked', 'payment.created']);
    const latest = await req('GET', '/api/v1/events?order=desc&limit=1', { headers: bearer });
    expect(latest.body.data[0].id).toBe(await app.core.events.lastId());
    const stream = await req('GET', `/api/v1/events?linkId=${link.id}`, { headers: { ...bearer, accept: 'text/event-stream' } });
    expect(stream.status).toBe(422);
  });
});
