/**
 * Starting payments on the public dialog is rate-limited per address and per link, so one
 * script cannot lock every single-use link for the lock's 15 minutes, and many addresses cannot
 * hold one link's uses: 429 problem+json with Retry-After, or (form posts) the dialog's page.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLink, expectProblem, makeApp, type TestApp } from './helpers';
import { DEFAULT_DIALOG_RATE_LIMIT, parseDialogRateLimit } from '../../server/http/rate-limits';
import { configFromEnv } from '../../server/config';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});

async function app(options: Parameters<typeof makeApp>[0] = {}): Promise<TestApp> {
  const t = await makeApp(options);
  apps.push(t);
  return t;
}

function start(t: TestApp, linkId: string, ip: string, headers: Record<string, string> = {}) {
  return t.app.server.inject({ method: 'POST', url: `/pay-by-link/${linkId}/payments`, headers: { 'content-type': 'application/json', ...headers }, payload: '{}', remoteAddress: ip });
}

const asRes = (r: Awaited<ReturnType<typeof start>>) => ({ status: r.statusCode, headers: r.headers, body: JSON.parse(r.body), text: r.body, raw: r });

describe('the dialog rate limit (defaults: 20 starts a minute per address, 10 per link)', () => {
  it('one address cannot lock every single-use link: after 20 starts it gets 429 and the other links stay payable', async () => {
    const t = await app();
    const links = [];
    for (let i = 0; i < 30; i++) links.push((await createLink(t, { name: `Invoice ${i}` })).id as string);
    const results = await Promise.all(links.map((id) => start(t, id, '10.1.1.1')));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(DEFAULT_DIALOG_RATE_LIMIT.perAddress);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - DEFAULT_DIALOG_RATE_LIMIT.perAddress);

    const refused = asRes(results.find((r) => r.statusCode === 429)!);
    const body = expectProblem(refused, 429, 'rate-limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body.retryAfterSeconds).toBe(retryAfter);

    // The links the script did not get to are not locked: a customer elsewhere pays them.
    const untouched = links.filter((_, i) => results[i]!.statusCode === 429);
    for (const id of untouched) expect((await start(t, id, '10.1.1.2')).statusCode).toBe(201);
  });

  it('many addresses cannot hold one link: after 10 starts on a link it gets 429, other links are not affected', async () => {
    const t = await app();
    const reusable = (await createLink(t, { name: 'Counter QR', reuse: 'multiple', amount: null, minAmount: '1.00' })).id as string;
    const results = [];
    for (let i = 0; i < 15; i++) results.push(await t.app.server.inject({ method: 'POST', url: `/pay-by-link/${reusable}/payments`, headers: { 'content-type': 'application/json' }, payload: '{"amount":"5.00"}', remoteAddress: `10.2.0.${i + 1}` }));
    expect(results.map((r) => r.statusCode)).toEqual([...Array(10).fill(201), ...Array(5).fill(429)]);
    expectProblem(asRes(results[14]!), 429, 'rate-limited');
    expect((await start(t, (await createLink(t)).id, '10.2.0.99')).statusCode).toBe(201);
  });

  it('a form post over the limit gets the dialog’s page (429, Retry-After, the page’s CSP), in the form’s language', async () => {
    const t = await app({ dialogRateLimit: { perAddress: 1, perLink: 10, windowMs: 60_000 } });
    const link = await createLink(t, { reuse: 'multiple' });
    const post = () =>
      t.app.server.inject({ method: 'POST', url: `/pay-by-link/${link.id}/payments`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'locale=de', remoteAddress: '10.3.0.1' });
    expect((await post()).statusCode).toBe(303);
    const page = await post();
    expect(page.statusCode).toBe(429);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).toContain('Zu viele Versuche');
    expect(page.body).toContain('<html lang="de"');
  });

  it('is configurable: a short window lets the address in again; `false` turns it off', async () => {
    const t = await app({ dialogRateLimit: { perAddress: 2, perLink: 100, windowMs: 500 } });
    const link = (await createLink(t, { reuse: 'multiple' })).id as string;
    expect((await start(t, link, '10.4.0.1')).statusCode).toBe(201);
    expect((await start(t, link, '10.4.0.1')).statusCode).toBe(201);
    expect((await start(t, link, '10.4.0.1')).statusCode).toBe(429);
    await new Promise((r) => setTimeout(r, 600));
    expect((await start(t, link, '10.4.0.1')).statusCode).toBe(201);

    const off = await app({ dialogRateLimit: false });
    const many = (await createLink(off, { reuse: 'multiple' })).id as string;
    const results = await Promise.all(Array.from({ length: 40 }, () => start(off, many, '10.4.0.2')));
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
  });

  it('keys by request.ip (behind a trusted proxy, the forwarded address; IPv6 by /64)', async () => {
    const t = await app({ trustProxy: true, dialogRateLimit: { perAddress: 1, perLink: 100, windowMs: 60_000 } });
    const link = (await createLink(t, { reuse: 'multiple' })).id as string;
    expect((await start(t, link, '127.0.0.1', { 'x-forwarded-for': '192.0.2.1' })).statusCode).toBe(201);
    expect((await start(t, link, '127.0.0.1', { 'x-forwarded-for': '192.0.2.2' })).statusCode).toBe(201);
    expect((await start(t, link, '127.0.0.1', { 'x-forwarded-for': '192.0.2.1' })).statusCode).toBe(429);
    // IPv6 addresses in one /64 share an allowance: a script cannot rotate through its own prefix.
    expect((await start(t, link, '2001:db8::1')).statusCode).toBe(201);
    expect((await start(t, link, '2001:db8::2')).statusCode).toBe(429);
    expect((await start(t, link, '2001:db8:0:1::1')).statusCode).toBe(201);
  });
});

describe('COUNTERLINK_DIALOG_RATE_LIMIT', () => {
  it('reads "perAddress/perLink" per minute, an optional window in seconds, or "off"; refuses anything else', () => {
    expect(parseDialogRateLimit('20/10')).toEqual({ perAddress: 20, perLink: 10, windowMs: 60_000 });
    expect(parseDialogRateLimit(' 5/3/30 ')).toEqual({ perAddress: 5, perLink: 3, windowMs: 30_000 });
    expect(parseDialogRateLimit('off')).toBe(false);
    for (const bad of ['20', '0/10', '10/0', 'a/b', '20/10/0', '-1/5']) expect(() => parseDialogRateLimit(bad), bad).toThrow(/COUNTERLINK_DIALOG_RATE_LIMIT/);
    expect(configFromEnv({ COUNTERLINK_DIALOG_RATE_LIMIT: '50/20' }).dialogRateLimit).toEqual({ perAddress: 50, perLink: 20, windowMs: 60_000 });
    expect(configFromEnv({}).dialogRateLimit).toBeUndefined();
  });
});
