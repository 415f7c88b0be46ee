import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createLink, linkCount, makeApp, type TestApp } from './helpers';

let t: TestApp;
let linkId: string;
let paymentId: string;
beforeAll(async () => {
  t = await makeApp();
  linkId = (await createLink(t)).id;
  const payLink = await createLink(t, { amount: '5.00' });
  paymentId = (await t.app.core.payments.start(payLink.id, {})).payment.id;
  await t.app.core.payments.complete(paymentId, 'succeeded');
});
afterAll(async () => {
  await t.close();
});

interface Weird {
  label: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'OPTIONS' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

function deepJson(depth: number, open = '[', close = ']'): string {
  return open.repeat(depth) + (open === '[' ? '1' : '"a":1') + close.repeat(depth);
}

function deepObject(depth: number): string {
  let s = '1';
  for (let i = 0; i < depth; i++) s = `{"a":${s}}`;
  return s;
}

const json = { ...AUTH, 'content-type': 'application/json' };

function weirdRequests(): Weird[] {
  const bodies: [string, string][] = [
    ['deep array in metadata', `{"name":"x","metadata":${deepJson(5000)}}`],
    ['deep object in metadata', `{"name":"x","metadata":${deepObject(5000)}}`],
    ['deep array as body', deepJson(10000)],
    ['deep object as body', deepObject(10000)],
    ['NUL in name', JSON.stringify({ name: 'a\u0000b', amount: '1.00' })],
    ['lone surrogate', '{"name":"\\ud800x","amount":"1.00"}'],
    ['emoji and RTL', JSON.stringify({ name: '💸‮evil', description: '🧾'.repeat(100), metadata: { '🔑': '🗝' } })],
    ['proto pollution', '{"name":"x","__proto__":{"admin":true}}'],
    ['constructor pollution', '{"name":"x","constructor":{"prototype":{"admin":true}}}'],
    ['proto in metadata', '{"name":"x","metadata":{"__proto__":"x"}}'],
    ['wrong types everywhere', JSON.stringify({ name: ['x'], amount: { v: 1 }, currency: 7, reuse: true, maxUses: 'many', metadata: [1], locale: null, expiresAt: 5, cancellable: 'no' })],
    ['numbers as everything', JSON.stringify({ name: 1, description: 2, amount: 1e308, minAmount: -0, maxUses: 1e300, expiresInMinutes: Number.MAX_SAFE_INTEGER, totalAmountLimit: 1e-300 })],
    ['huge integers', '{"name":"x","amount":123456789012345678901234567890,"reuse":"multiple","maxUses":99999999999999999999999}'],
    ['exponent amount', '{"name":"x","amount":1e2}'],
    ['float noise', '{"name":"x","amount":0.30000000000000004}'],
    ['negative zero', '{"name":"x","amount":-0}'],
    ['NaN literal', '{"name":"x","amount":NaN}'],
    ['Infinity literal', '{"name":"x","amount":Infinity}'],
    ['duplicate keys', '{"name":"x","name":"y","amount":"1","amount":"2"}'],
    ['trailing garbage', '{"name":"x"} {"name":"y"}'],
    ['BOM', '\ufeff{"name":"x"}'],
    ['empty object', '{}'],
    ['array', '[{"name":"x"}]'],
    ['null', 'null'],
    ['string', '"x"'],
    ['huge string name', JSON.stringify({ name: 'x'.repeat(500_000) })],
    ['many keys', JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])))],
    ['many metadata keys', JSON.stringify({ name: 'x', metadata: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v'])) })],
    ['line items overflow', JSON.stringify({ name: 'x', lineItems: Array.from({ length: 100 }, () => ({ name: 'a', quantity: 9999, unitAmount: '999999999.99' })) })],
    ['line items garbage', JSON.stringify({ name: 'x', lineItems: [null, 1, 'a', { name: '', quantity: -1, unitAmount: {} }] })],
    ['far future expiry', JSON.stringify({ name: 'x', expiresAt: '9999-12-31T23:59:59Z' })],
    ['expiresOn far future', JSON.stringify({ name: 'x', expiresOn: '9999-12-31' })],
    ['expiresAt year 0', JSON.stringify({ name: 'x', expiresAt: '0000-01-01T00:00:00Z' })],
    ['expiresAt weird offset', JSON.stringify({ name: 'x', expiresAt: '2026-02-01T00:00:00+99:99' })],
    ['callbackUrl huge', JSON.stringify({ name: 'x', callbackUrl: `https://x.example/${'a'.repeat(5000)}` })],
    ['refIdBase unicode', JSON.stringify({ name: 'x', refIdBase: 'ÄÖÜ' })],
    ['refIdBase SQL', JSON.stringify({ name: 'x', refIdBase: "A'--" })],
    ['pointOfSaleId traversal', JSON.stringify({ name: 'x', pointOfSaleId: '../../etc/passwd' })],
    ['currency lowercase unicode', JSON.stringify({ name: 'x', currency: 'ЕUR' })],
  ];

  const out: Weird[] = [];
  for (const [label, payload] of bodies) {
    out.push({ label: `POST /links ${label}`, method: 'POST', url: '/api/v1/links', headers: json, payload });
    out.push({ label: `PATCH link ${label}`, method: 'PATCH', url: `/api/v1/links/${linkId}`, headers: json, payload });
    out.push({ label: `POST /charges ${label}`, method: 'POST', url: '/api/v1/charges', headers: json, payload });
  }
  out.push(
    { label: 'body over 1 MB', method: 'POST', url: '/api/v1/links', headers: json, payload: JSON.stringify({ name: 'x', description: 'd'.repeat(1_100_000) }) },
    { label: 'refund body over 1 MB', method: 'POST', url: `/api/v1/payments/${paymentId}/refund`, headers: json, payload: `{"amount":"${'1'.repeat(1_100_000)}"}` },
    { label: 'text/plain', method: 'POST', url: '/api/v1/links', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: '{"name":"x"}' },
    { label: 'form body', method: 'POST', url: '/api/v1/links', headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x&amount=1.00&metadata[a]=b' },
    { label: 'form body with arrays', method: 'POST', url: '/api/v1/links', headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x&name=y&maxUses=3' },
    { label: 'form to refund', method: 'POST', url: `/api/v1/payments/${paymentId}/refund`, headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'amount=1' },
    { label: 'multipart', method: 'POST', url: '/api/v1/links', headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--' },
    { label: 'xml', method: 'POST', url: '/api/v1/links', headers: { ...AUTH, 'content-type': 'application/xml' }, payload: '<name>x</name>' },
    { label: 'no content type', method: 'POST', url: '/api/v1/links', headers: { ...AUTH }, payload: '{"name":"x"}' },
    { label: 'json with charset', method: 'POST', url: '/api/v1/links', headers: { ...AUTH, 'content-type': 'application/json; charset=latin1' }, payload: '{"name":"x"}' },
    { label: 'bad content-length', method: 'POST', url: '/api/v1/links', headers: { ...json, 'content-length': '5' }, payload: '{"name":"xxxxxxxx"}' },
    { label: 'gzip claimed', method: 'POST', url: '/api/v1/links', headers: { ...json, 'content-encoding': 'gzip' }, payload: '{"name":"x"}' },
    { label: 'binary garbage', method: 'POST', url: '/api/v1/links', headers: json, payload: Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x7b]) },
    { label: 'path traversal', method: 'GET', url: '/api/v1/links/..%2f..%2fetc', headers: AUTH },
    { label: 'path traversal plain', method: 'GET', url: '/api/v1/links/../../etc/passwd', headers: AUTH },
    { label: 'path traversal encoded dots', method: 'GET', url: '/api/v1/links/%2e%2e%2f%2e%2e%2fetc%2fpasswd', headers: AUTH },
    { label: 'backslash traversal', method: 'GET', url: '/api/v1/links/..%5c..%5cwindows', headers: AUTH },
    { label: 'NUL in id', method: 'GET', url: '/api/v1/links/pl_%00abc', headers: AUTH },
    { label: 'NUL in query', method: 'GET', url: '/api/v1/links?q=%00', headers: AUTH },
    { label: 'id 150 chars', method: 'GET', url: `/api/v1/links/${'a'.repeat(150)}`, headers: AUTH },
    { label: 'id 5000 chars', method: 'GET', url: `/api/v1/links/${'a'.repeat(5000)}`, headers: AUTH },
    { label: 'payment id 5000 chars', method: 'POST', url: `/api/v1/payments/${'p'.repeat(5000)}/refund`, headers: AUTH },
    { label: 'qr of long id', method: 'GET', url: `/api/v1/links/${'a'.repeat(199)}/qr`, headers: AUTH },
    { label: 'invalid percent-encoding in path', method: 'GET', url: '/api/v1/links/%E0%A4%A', headers: AUTH },
    { label: 'invalid percent-encoding bare', method: 'GET', url: '/api/v1/links/%', headers: AUTH },
    { label: 'invalid percent-encoding in query', method: 'GET', url: '/api/v1/links?q=%E0%A4%A', headers: AUTH },
    { label: 'invalid percent in query key', method: 'GET', url: '/api/v1/links?%zz=1', headers: AUTH },
    { label: 'overlong utf8', method: 'GET', url: '/api/v1/links/%C0%AF', headers: AUTH },
    { label: 'duplicate limit', method: 'GET', url: '/api/v1/links?limit=1&limit=2', headers: AUTH },
    { label: 'duplicate status', method: 'GET', url: '/api/v1/links?status=enabled&status=disabled', headers: AUTH },
    { label: 'duplicate cursor', method: 'GET', url: '/api/v1/payments?cursor=a&cursor=b', headers: AUTH },
    { label: 'duplicate after', method: 'GET', url: '/api/v1/events?after=1&after=2', headers: AUTH },
    { label: 'duplicate data', method: 'GET', url: `/api/v1/links/${linkId}?data[a]=1&data[a]=2`, headers: AUTH },
    { label: 'duplicate data on qr', method: 'GET', url: `/api/v1/links/${linkId}/qr?data[a]=1&data[a]=2&size=100&size=200`, headers: AUTH },
    { label: 'data with nested brackets', method: 'GET', url: `/api/v1/links/${linkId}?data[a][b]=1&data[]=2&data=3`, headers: AUTH },
    { label: 'huge data value', method: 'GET', url: `/api/v1/links/${linkId}/qr?data[a]=${'x'.repeat(5000)}`, headers: AUTH },
    { label: 'huge data value png accept', method: 'GET', url: `/api/v1/links/${linkId}?data[a]=${'x'.repeat(5000)}`, headers: { ...AUTH, accept: 'image/png' } },
    { label: 'negative limit', method: 'GET', url: '/api/v1/links?limit=-5', headers: AUTH },
    { label: 'float limit', method: 'GET', url: '/api/v1/payments?limit=2.5', headers: AUTH },
    { label: 'huge limit', method: 'GET', url: '/api/v1/events?limit=99999999999999999999', headers: AUTH },
    { label: 'hex limit', method: 'GET', url: '/api/v1/links?limit=0x10', headers: AUTH },
    { label: 'empty limit', method: 'GET', url: '/api/v1/links?limit=', headers: AUTH },
    { label: 'negative after', method: 'GET', url: '/api/v1/events?after=-1', headers: AUTH },
    { label: 'huge after', method: 'GET', url: '/api/v1/events?after=1e400', headers: AUTH },
    { label: 'after beyond safe', method: 'GET', url: '/api/v1/events?after=99999999999999999999', headers: AUTH },
    { label: 'huge last-event-id', method: 'GET', url: '/api/v1/events', headers: { ...AUTH, accept: 'text/event-stream', 'last-event-id': '9'.repeat(40) } },
    { label: 'bad created filter', method: 'GET', url: '/api/v1/links?createdAfter=2026-13-45T99:99:99Z', headers: AUTH },
    { label: 'weird accept', method: 'GET', url: `/api/v1/links/${linkId}`, headers: { ...AUTH, accept: 'image/*;q=abc, */*;q=-1, ,,,' } },
    { label: 'accept svg unknown link', method: 'GET', url: '/api/v1/links/pl_nope', headers: { ...AUTH, accept: 'image/svg+xml' } },
    { label: 'PUT on links', method: 'PUT', url: '/api/v1/links', headers: json, payload: '{}' },
    { label: 'DELETE collection', method: 'DELETE', url: '/api/v1/links', headers: AUTH },
    { label: 'OPTIONS', method: 'OPTIONS', url: '/api/v1/links', headers: AUTH },
    { label: 'HEAD link', method: 'HEAD', url: `/api/v1/links/${linkId}`, headers: AUTH },
    { label: 'unknown api path', method: 'GET', url: '/api/v1/../../../etc/passwd', headers: AUTH },
    { label: 'double slash', method: 'GET', url: '//api//v1//links', headers: AUTH },
    { label: 'trailing slash', method: 'GET', url: '/api/v1/links/', headers: AUTH },
    { label: 'display show garbage', method: 'POST', url: '/api/v1/display/show', headers: json, payload: '{"linkId":{"$ne":null}}' },
    { label: 'display clear garbage', method: 'POST', url: '/api/v1/display/clear', headers: json, payload: '[1,2]' },
    { label: 'display of long pos id', method: 'GET', url: `/api/v1/display?pointOfSaleId=${'x'.repeat(5000)}`, headers: AUTH },
    { label: 'pos create garbage', method: 'POST', url: '/api/v1/points-of-sale', headers: json, payload: '{"name":{"a":1},"isDefault":"yes"}' },
    { label: 'pos patch isDefault false', method: 'PATCH', url: '/api/v1/points-of-sale/pos_x', headers: json, payload: '{"isDefault":false}' },
    { label: 'refund garbage', method: 'POST', url: `/api/v1/payments/${paymentId}/refund`, headers: json, payload: '{"amount":[1]}' },
    { label: 'refund huge amount', method: 'POST', url: `/api/v1/payments/${paymentId}/refund`, headers: json, payload: '{"amount":"99999999999999999999999"}' },
    { label: 'refund negative', method: 'POST', url: `/api/v1/payments/${paymentId}/refund`, headers: json, payload: '{"amount":-1}' },
    { label: 'settings garbage', method: 'PATCH', url: '/api/v1/settings', headers: json, payload: '{"timeZone":"Mars/Olympus","defaultCurrency":"XXX"}' },
    { label: 'idempotency key huge', method: 'POST', url: '/api/v1/links', headers: { ...json, 'idempotency-key': 'k'.repeat(8000) }, payload: '{"name":"x"}' },
    { label: 'idempotency key empty', method: 'POST', url: '/api/v1/links', headers: { ...json, 'idempotency-key': '' }, payload: '{"name":"x"}' },
    { label: 'authorization huge', method: 'GET', url: '/api/v1/links', headers: { authorization: `Bearer ${'x'.repeat(10_000)}` } },
    { label: 'authorization unicode', method: 'GET', url: '/api/v1/links', headers: { authorization: 'Bearer ключ-ключ-ключ' } },
    { label: 'customer route garbage', method: 'POST', url: `/pay-by-link/${linkId}/payments`, headers: { 'content-type': 'application/json' }, payload: deepObject(3000) },
    { label: 'dialog with traversal', method: 'GET', url: '/en/pay-by-link/..%2f..%2fetc', headers: {} },
  );
  return out;
}

describe('hostile input never gives a 5xx', () => {
  it('answers every weird request below 500, with problem+json for 4xx', async () => {
    const failures: string[] = [];
    for (const w of weirdRequests()) {
      const res = await t.app.server.inject({ method: w.method, url: w.url, headers: w.headers ?? {}, ...(w.payload !== undefined ? { payload: w.payload } : {}) });
      if (res.statusCode >= 500) failures.push(`${w.label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      const type = String(res.headers['content-type'] ?? '');
      const isApi = w.url.startsWith('/api/') || w.url.startsWith('//api');
      if (isApi && res.statusCode >= 400 && res.statusCode < 500 && w.method !== 'HEAD') {
        if (!type.startsWith('application/problem+json')) failures.push(`${w.label}: ${res.statusCode} with ${type}: ${res.body.slice(0, 200)}`);
        else {
          const body = JSON.parse(res.body);
          if (typeof body.type !== 'string' || body.status !== res.statusCode || typeof body.title !== 'string' || typeof body.detail !== 'string') {
            failures.push(`${w.label}: malformed problem ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // The app is still healthy.
    expect((await t.req('GET', '/healthz', undefined, { auth: false })).status).toBe(200);
  });

  it('answers the specific hostile cases with the right status', async () => {
    const post = (payload: string | Buffer, headers: Record<string, string> = json) => t.app.server.inject({ method: 'POST', url: '/api/v1/links', headers, payload });
    const big = await post(JSON.stringify({ name: 'x', description: 'd'.repeat(1_100_000) }));
    expect(big.statusCode).toBe(413);
    expect(JSON.parse(big.body).type).toBe('payload-too-large');
    expect((await post('{"name":')).statusCode).toBe(400);
    expect(JSON.parse((await post('{"name":')).body).type).toBe('bad-request');
    expect((await post('{"name":"x"}', { ...AUTH, 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await post('name=x', { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415);
    const tooLongForQr = await t.app.server.inject({ method: 'GET', url: `/api/v1/links/${linkId}/qr?data[a]=${'x'.repeat(5000)}`, headers: AUTH });
    expect(tooLongForQr.statusCode).toBe(422);
    expect(JSON.parse(tooLongForQr.body).errors[0].path).toBe('data');
    expect((await post('{"name":"x","__proto__":{"admin":true}}')).statusCode).toBe(400);
    const traversal = await t.app.server.inject({ method: 'GET', url: '/api/v1/links/..%2f..%2fetc', headers: AUTH });
    expect(traversal.statusCode).toBe(404);
    expect(JSON.parse(traversal.body).type).toBe('not-found');
    const badPercent = await t.app.server.inject({ method: 'GET', url: '/api/v1/links/%E0%A4%A', headers: AUTH });
    expect(badPercent.statusCode).toBe(400);
    expect(badPercent.headers['content-type']).toMatch(/^application\/problem\+json/);
    const longId = await t.app.server.inject({ method: 'GET', url: `/api/v1/links/${'a'.repeat(5000)}`, headers: AUTH });
    expect(longId.statusCode).toBeGreaterThanOrEqual(400);
    expect(longId.statusCode).toBeLessThan(500);
    expect(longId.headers['content-type']).toMatch(/^application\/problem\+json/);
    const overflow = await post(JSON.stringify({ name: 'x', lineItems: Array.from({ length: 100 }, () => ({ name: 'a', quantity: 9999, unitAmount: '999999999.99' })) }));
    expect(overflow.statusCode).toBe(422);
    expect(JSON.parse(overflow.body).errors.map((e: { path: string }) => e.path)).toContain('lineItems');
  });

  it('keeps link objects sane after unicode and NUL input', async () => {
    const name = 'Caf\u00e9 \u0000 \u202e 💸';
    const link = await createLink(t, { name, metadata: { 'k\u0000': 'v\u0000' } });
    expect(link.name).toBe(name);
    expect(link.metadata).toEqual({ 'k\u0000': 'v\u0000' });
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.name).toBe(name);
    const unicode = await createLink(t, { name: 'Grüße 🧁 ünïcödé' });
    expect((await t.req('GET', `/api/v1/links?q=${encodeURIComponent('🧁 ünï')}`)).body.data.map((l: { id: string }) => l.id)).toEqual([unicode.id]);
  });
});

describe('property: random bodies for POST /api/v1/links', () => {
  const FIELDS = [
    'name', 'description', 'type', 'pointOfSaleId', 'amount', 'currency', 'minAmount', 'reuse', 'maxUses', 'perPaymentAmountLimit',
    'totalAmountLimit', 'expiresAt', 'expiresOn', 'expiresInMinutes', 'locale', 'country', 'metadata', 'refIdBase', 'reference',
    'cancellable', 'callbackUrl', 'lineItems', 'enabled', 'id',
  ];
  const plausible: Record<string, fc.Arbitrary<unknown>> = {
    name: fc.oneof(fc.string({ maxLength: 130 }), fc.constant('Coffee')),
    amount: fc.oneof(fc.constantFrom('1', '12.50', '0', '-1', '1.005', '999999999.99', '1000000000', ''), fc.double(), fc.integer()),
    minAmount: fc.oneof(fc.constantFrom('0.01', '5'), fc.integer({ min: -5, max: 50 })),
    currency: fc.constantFrom('EUR', 'JPY', 'BHD', 'USD', 'XXX', 'eur', ''),
    reuse: fc.constantFrom('single', 'multiple', 'never'),
    type: fc.constantFrom('payment', 'accountInfo', 'other'),
    maxUses: fc.oneof(fc.integer({ min: -2, max: 10 }), fc.constant(null)),
    perPaymentAmountLimit: fc.constantFrom('10', '0.5', '100', null),
    totalAmountLimit: fc.constantFrom('10', '50.00', '1', null),
    expiresAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-01-15T10:00:00Z', 'tomorrow', null)),
    expiresOn: fc.constantFrom('2026-01-16', '2026-02-30', '2025-01-01', null),
    expiresInMinutes: fc.oneof(fc.integer({ min: -5, max: 100_000_000 }), fc.constant(null)),
    locale: fc.constantFrom('en', 'de', 'fr', 'nl', 'es'),
    country: fc.constantFrom('DE', 'NL', 'de', 'XXX', null),
    metadata: fc.dictionary(fc.string({ maxLength: 45 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer()), { maxKeys: 6 }),
    refIdBase: fc.oneof(fc.stringMatching(/^[A-Za-z0-9-]{1,14}$/), fc.string({ maxLength: 15 })),
    callbackUrl: fc.oneof(fc.webUrl(), fc.string({ maxLength: 30 })),
    lineItems: fc.array(fc.record({ name: fc.string({ maxLength: 10 }), quantity: fc.integer({ min: -1, max: 10_000 }), unitAmount: fc.constantFrom('1.00', '999999999.99', 0, 'x') }), { maxLength: 4 }),
    cancellable: fc.oneof(fc.boolean(), fc.constant('true')),
  };
  const value = (key: string) => fc.oneof({ weight: 3, arbitrary: plausible[key] ?? fc.jsonValue() }, { weight: 1, arbitrary: fc.jsonValue() });
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.uniqueArray(fc.constantFrom(...FIELDS), { maxLength: 10 }).chain((keys) => fc.tuple(...keys.map((k) => value(k))).map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]])))) },
    { weight: 1, arbitrary: fc.jsonValue() },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })) },
  );

  it('answers 201 or 4xx, never 5xx; a 4xx changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = await linkCount(t);
        const eventsBefore = await t.app.core.events.lastId();
        const res = await t.app.server.inject({ method: 'POST', url: '/api/v1/links', headers: json, payload: JSON.stringify(b) });
        const after = await linkCount(t);
        if (res.statusCode === 201) {
          expect(after).toBe(before + 1);
          const link = JSON.parse(res.body);
          expect(link.id).toMatch(/^pl_/);
          expect(link.status).toBe('enabled');
        } else {
          expect(res.statusCode, res.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(after).toBe(before);
          expect(await t.app.core.events.lastId()).toBe(eventsBefore);
        }
      }),
      { numRuns: 300 },
    );
  });
});
