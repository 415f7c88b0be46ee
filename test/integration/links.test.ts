import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import { PNG } from 'pngjs';
import { readQr as decodeQr } from '../support/qr';
import { BASE_URL, START, createLink, expectProblem, expectValidation, linkCount, makeApp, pay, type TestApp } from './helpers';

const MIN = 60_000;

/** Every key of API.md's link object example. */
const LINK_KEYS = [
  'id', 'type', 'name', 'description', 'status', 'enabled', 'pointOfSaleId', 'amount', 'currency', 'minAmount',
  'reuse', 'maxUses', 'perPaymentAmountLimit', 'totalAmountLimit', 'expiresAt', 'locale', 'country', 'metadata',
  'refIdBase', 'reference', 'cancellable', 'callbackUrl', 'url', 'usage', 'lockedUntil', 'createdAt', 'updatedAt',
];

let t: TestApp;
let defaultPos: string;
beforeAll(async () => {
  t = await makeApp();
  defaultPos = (await t.req('GET', '/api/v1/points-of-sale')).body.data.find((p: { isDefault: boolean }) => p.isDefault).id;
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/v1/links', () => {
  it('creates a link with every field of API.md and returns the link object of API.md', async () => {
    const body = {
      name: 'Invoice 2026-001',
      description: 'Repair of the espresso machine',
      type: 'payment',
      pointOfSaleId: defaultPos,
      amount: '12.5',
      currency: 'EUR',
      reuse: 'multiple',
      maxUses: 3,
      perPaymentAmountLimit: '20',
      totalAmountLimit: '37.50',
      expiresInMinutes: 60,
      locale: 'de',
      country: 'DE',
      metadata: { orderId: 'A-17', customer: 'Ms Müller' },
      refIdBase: 'ORDER-ABC',
      reference: 'Rechnung 2026-001',
      cancellable: false,
      callbackUrl: 'https://shop.example/return?x=1',
    };
    const res = await t.req('POST', '/api/v1/links', body);
    expect(res.status, res.text).toBe(201);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const link = res.body;
    for (const key of LINK_KEYS) expect(link, `missing ${key}`).toHaveProperty(key);
    expect(link.id).toMatch(/^pl_[0-9A-Za-z]{22,}$/);
    expect(link).toMatchObject({
      type: 'payment',
      name: 'Invoice 2026-001',
      description: 'Repair of the espresso machine',
      status: 'enabled',
      enabled: true,
      pointOfSaleId: defaultPos,
      amount: '12.50',
      currency: 'EUR',
      minAmount: null,
      reuse: 'multiple',
      maxUses: 3,
      perPaymentAmountLimit: '20.00',
      totalAmountLimit: '37.50',
      expiresAt: new Date(Date.parse(START) + 60 * MIN).toISOString(),
      locale: 'de',
      country: 'DE',
      metadata: { orderId: 'A-17', customer: 'Ms Müller' },
      refIdBase: 'ORDER-ABC',
      reference: 'Rechnung 2026-001',
      cancellable: false,
      callbackUrl: 'https://shop.example/return?x=1',
      url: `${BASE_URL}/de/pay-by-link/${link.id}`,
      usage: { count: 0, amount: '0.00', pendingCount: 0, remainingCount: 3, remainingAmount: '37.50' },
      lockedUntil: null,
      createdAt: START,
      updatedAt: START,
    });
    // It is stored: GET gives the same object.
    const got = await t.req('GET', `/api/v1/links/${link.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(link);
  });

  it('fills the defaults of API.md', async () => {
    const link = await createLink(t, { name: 'Defaults', amount: undefined });
    expect(link).toMatchObject({
      type: 'payment',
      description: null,
      status: 'enabled',
      enabled: true,
      pointOfSaleId: defaultPos,
      amount: null,
      currency: 'EUR',
      minAmount: null,
      reuse: 'single',
      maxUses: null,
      perPaymentAmountLimit: null,
      totalAmountLimit: null,
      expiresAt: null,
      locale: 'en',
      country: null,
      metadata: {},
      reference: null,
      cancellable: true,
      callbackUrl: null,
      url: `${BASE_URL}/en/pay-by-link/${link.id}`,
      usage: { count: 0, amount: '0.00', pendingCount: 0, remainingCount: null, remainingAmount: null },
      lockedUntil: null,
    });
    expect(link.refIdBase).toMatch(/^[A-Za-z0-9-]{1,13}$/);
  });

  it('gives every link a distinct unguessable id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await createLink(t)).id);
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toMatch(/^pl_[0-9A-Za-z]{22,}$/);
  });

  it('writes amounts in the currency exponent (JPY 0, EUR 2, BHD 3), from strings and exact JSON numbers', async () => {
    const cases: [unknown, string, string][] = [
      ['1200', 'JPY', '1200'],
      [1200, 'JPY', '1200'],
      ['12.5', 'EUR', '12.50'],
      [12.5, 'EUR', '12.50'],
      ['1', 'EUR', '1.00'],
      [0.1, 'EUR', '0.10'],
      ['999999999.99', 'EUR', '999999999.99'],
      ['1.25', 'BHD', '1.250'],
      [1.005, 'BHD', '1.005'],
      ['0.001', 'BHD', '0.001'],
    ];
    for (const [amount, currency, expected] of cases) {
      const link = await createLink(t, { amount, currency });
      expect(link.amount, `${JSON.stringify(amount)} ${currency}`).toBe(expected);
      expect(link.currency).toBe(currency);
      expect(link.usage.amount).toBe(currency === 'JPY' ? '0' : currency === 'EUR' ? '0.00' : '0.000');
    }
    const open = await createLink(t, { amount: undefined, currency: 'BHD', minAmount: 2, perPaymentAmountLimit: '10.5' });
    expect(open).toMatchObject({ amount: null, minAmount: '2.000', perPaymentAmountLimit: '10.500' });
  });

  it('accepts an accountInfo link without amounts', async () => {
    const res = await t.req('POST', '/api/v1/links', { name: 'Your IBAN please', type: 'accountInfo' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ type: 'accountInfo', amount: null });
  });

  it('accepts expiresAt and expiresOn', async () => {
    const a = await createLink(t, { expiresAt: '2026-01-15T12:30:00+02:00' });
    expect(a.expiresAt).toBe('2026-01-15T10:30:00.000Z');
    const b = await createLink(t, { expiresOn: '2026-01-20' }); // merchant zone is UTC in these tests
    expect(b.expiresAt).toBe('2026-01-20T23:59:59.999Z');
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['name missing', { name: undefined }, 'name'],
    ['name empty', { name: '' }, 'name'],
    ['name too long', { name: 'n'.repeat(121) }, 'name'],
    ['name not a string', { name: { a: 1 } }, 'name'],
    ['description too long', { description: 'd'.repeat(501) }, 'description'],
    ['type unknown', { type: 'donation' }, 'type'],
    ['accountInfo with amount', { type: 'accountInfo', amount: '5' }, 'amount'],
    ['accountInfo with minAmount', { type: 'accountInfo', amount: undefined, minAmount: '5' }, 'minAmount'],
    ['unknown point of sale', { pointOfSaleId: 'pos_doesnotexist' }, 'pointOfSaleId'],
    ['amount zero', { amount: '0' }, 'amount'],
    ['amount zero number', { amount: 0 }, 'amount'],
    ['amount negative', { amount: '-5' }, 'amount'],
    ['amount negative number', { amount: -5 }, 'amount'],
    ['amount too precise', { amount: '1.005' }, 'amount'],
    ['amount inexact number', { amount: 0.1 + 0.2 }, 'amount'],
    ['amount exponent', { amount: '1e3' }, 'amount'],
    ['amount too large', { amount: '1000000000' }, 'amount'],
    ['amount garbage', { amount: 'twelve' }, 'amount'],
    ['amount with comma', { amount: '12,50' }, 'amount'],
    ['JPY with decimals', { amount: '12.5', currency: 'JPY' }, 'amount'],
    ['BHD with 4 decimals', { amount: '1.0001', currency: 'BHD' }, 'amount'],
    ['currency unknown', { currency: 'XYZ' }, 'currency'],
    ['currency lower case', { currency: 'eur' }, 'currency'],
    ['currency not money', { currency: 'XAU' }, 'currency'],
    ['minAmount with a fixed amount', { minAmount: '1' }, 'minAmount'],
    ['minAmount zero', { amount: undefined, minAmount: '0' }, 'minAmount'],
    ['reuse unknown', { reuse: 'twice' }, 'reuse'],
    ['maxUses on single', { maxUses: 2 }, 'maxUses'],
    ['maxUses zero', { reuse: 'multiple', maxUses: 0 }, 'maxUses'],
    ['maxUses fraction', { reuse: 'multiple', maxUses: 1.5 }, 'maxUses'],
    ['perPaymentAmountLimit below amount', { perPaymentAmountLimit: '10' }, 'perPaymentAmountLimit'],
    ['perPaymentAmountLimit below minAmount', { amount: undefined, minAmount: '5', perPaymentAmountLimit: '4' }, 'perPaymentAmountLimit'],
    ['perPaymentAmountLimit zero', { amount: undefined, perPaymentAmountLimit: '0' }, 'perPaymentAmountLimit'],
    ['totalAmountLimit on single', { totalAmountLimit: '100' }, 'totalAmountLimit'],
    ['totalAmountLimit below amount', { reuse: 'multiple', totalAmountLimit: '10' }, 'totalAmountLimit'],
    ['two expiry forms', { expiresAt: '2026-02-01T00:00:00Z', expiresInMinutes: 5 }, 'expiresInMinutes'],
    ['three expiry forms', { expiresAt: '2026-02-01T00:00:00Z', expiresOn: '2026-02-01', expiresInMinutes: 5 }, 'expiresOn'],
    ['expiresAt in the past', { expiresAt: '2026-01-15T09:59:59Z' }, 'expiresAt'],
    ['expiresAt now', { expiresAt: START }, 'expiresAt'],
    ['expiresAt without zone', { expiresAt: '2026-02-01T10:00:00' }, 'expiresAt'],
    ['expiresAt impossible date', { expiresAt: '2026-02-30T10:00:00Z' }, 'expiresAt'],
    ['expiresOn in the past', { expiresOn: '2026-01-14' }, 'expiresOn'],
    ['expiresOn malformed', { expiresOn: '15.01.2026' }, 'expiresOn'],
    ['expiresOn impossible', { expiresOn: '2026-13-01' }, 'expiresOn'],
    ['expiresInMinutes zero', { expiresInMinutes: 0 }, 'expiresInMinutes'],
    ['expiresInMinutes negative', { expiresInMinutes: -10 }, 'expiresInMinutes'],
    ['expiresInMinutes fraction', { expiresInMinutes: 1.5 }, 'expiresInMinutes'],
    ['locale unknown', { locale: 'es' }, 'locale'],
    ['country lower case', { country: 'de' }, 'country'],
    ['country alpha-3', { country: 'DEU' }, 'country'],
    ['metadata not an object', { metadata: 'x' }, 'metadata'],
    ['metadata array', { metadata: ['a'] }, 'metadata'],
    ['metadata non-string value', { metadata: { a: { b: 'c' } } }, 'metadata'],
    ['metadata null value', { metadata: { a: null } }, 'metadata'],
    ['metadata number value', { metadata: { a: 1 } }, 'metadata'],
    ['name a number', { name: 42 }, 'name'],
    ['maxUses as a string', { reuse: 'multiple', maxUses: '5' }, 'maxUses'],
    ['cancellable null', { cancellable: null }, 'cancellable'],
    ['cancellable as a string', { cancellable: 'false' }, 'cancellable'],
    ['maxUses false', { reuse: 'multiple', maxUses: false }, 'maxUses'],
    ['expiresInMinutes false', { expiresInMinutes: false }, 'expiresInMinutes'],
    ['metadata too many keys', { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata'],
    ['metadata key too long', { metadata: { ['k'.repeat(41)]: 'v' } }, 'metadata'],
    ['metadata value too long', { metadata: { k: 'v'.repeat(501) } }, 'metadata'],
    ['refIdBase too long', { refIdBase: 'A'.repeat(14) }, 'refIdBase'],
    ['refIdBase empty', { refIdBase: '' }, 'refIdBase'],
    ['refIdBase with space', { refIdBase: 'AB C' }, 'refIdBase'],
    ['refIdBase with underscore', { refIdBase: 'AB_C' }, 'refIdBase'],
    ['reference too long', { reference: 'r'.repeat(141) }, 'reference'],
    ['cancellable not a boolean', { cancellable: 'maybe' }, 'cancellable'],
    ['callbackUrl not a URL', { callbackUrl: 'not a url' }, 'callbackUrl'],
    ['callbackUrl not http', { callbackUrl: 'javascript:alert(1)' }, 'callbackUrl'],
    ['callbackUrl with credentials', { callbackUrl: 'https://user:pw@shop.example/' }, 'callbackUrl'],
    ['unknown field', { colour: 'red' }, 'colour'],
    ['field only PATCH knows', { enabled: false }, 'enabled'],
    ['server-made field', { id: 'pl_mine' }, 'id'],
    ['server-made usage', { usage: { count: 0 } }, 'usage'],
  ];

  it.each(invalid)('refuses %s with 422 naming the field, and creates nothing', async (_label, patch, path) => {
    const before = await linkCount(t);
    const res = await t.req('POST', '/api/v1/links', { name: 'Valid', amount: '12.50', ...patch });
    expectValidation(res, path);
    expect(await linkCount(t)).toBe(before);
  });

  it('lists every broken field at once', async () => {
    const res = await t.req('POST', '/api/v1/links', { name: '', locale: 'xx', country: 'de', cancellable: 'maybe' });
    expectValidation(res, 'name');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['name', 'locale', 'country', 'cancellable']));
    const semantic = await t.req('POST', '/api/v1/links', { name: 'x', amount: '-1', maxUses: 2, expiresInMinutes: 5, expiresOn: '2026-01-01' });
    expectValidation(semantic, 'amount');
    expect(semantic.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['amount', 'expiresInMinutes']));
  });

  it('answers malformed JSON with 400 bad-request', async () => {
    for (const raw of ['{', '{"name": "x",}', "{'name':'x'}", 'nope', '{"name":"x"}garbage', '']) {
      const res = await t.req('POST', '/api/v1/links', undefined, { raw, headers: { 'content-type': 'application/json' } });
      expectProblem(res, 400, 'bad-request');
    }
  });

  it('refuses a body that is not an object with 422', async () => {
    for (const raw of ['[]', '"name"', '42', 'null', 'true']) {
      const res = await t.req('POST', '/api/v1/links', undefined, { raw, headers: { 'content-type': 'application/json' } });
      expect([400, 422], `${raw}: ${res.text}`).toContain(res.status);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    }
  });

  it('refuses a taken refIdBase with 409 ref-id-conflict, also against payment refIds', async () => {
    await createLink(t, { refIdBase: 'TAKEN-1' });
    const before = await linkCount(t);
    expectProblem(await t.req('POST', '/api/v1/links', { name: 'Dup', refIdBase: 'TAKEN-1' }), 409, 'ref-id-conflict');
    // The shape of a refId that TAKEN-1's payments would use.
    expectProblem(await t.req('POST', '/api/v1/links', { name: 'Dup', refIdBase: 'TAKEN-1-0001' }), 409, 'ref-id-conflict');
    expect(await linkCount(t)).toBe(before);
    // Matching is exact: another case is another base.
    expect((await t.req('POST', '/api/v1/links', { name: 'Other', refIdBase: 'taken-1' })).status).toBe(201);
  });
});

describe('GET /api/v1/links/{id}', () => {
  it('answers 404 not-found for an unknown id', async () => {
    for (const id of ['pl_doesnotexist000000000000', 'nope', 'pay_abc', '%20']) {
      expectProblem(await t.req('GET', `/api/v1/links/${id}`), 404, 'not-found');
    }
  });

  it('adds data[key]=value pairs to the url', async () => {
    const link = await createLink(t);
    const res = await t.req('GET', `/api/v1/links/${link.id}?data[customer_id]=42&data[src]=a%20b&other=1`);
    expect(res.status).toBe(200);
    const url = new URL(res.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(link.url);
    expect(url.searchParams.get('data[customer_id]')).toBe('42');
    expect(url.searchParams.get('data[src]')).toBe('a b');
    expect(url.searchParams.has('other')).toBe(false);
  });

  it('returns the QR code as a PNG with Accept: image/png, encoding the URL with the injected data', async () => {
    const link = await createLink(t);
    const res = await t.req('GET', `/api/v1/links/${link.id}?data[customer_id]=42`, undefined, { headers: { accept: 'image/png' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/png/);
    const png = res.raw.rawPayload;
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const decoded = decodeQr(png);
    const url = new URL(decoded);
    expect(`${url.origin}${url.pathname}`).toBe(link.url);
    expect(url.searchParams.get('data[customer_id]')).toBe('42');
    expect([...url.searchParams.keys()]).toEqual(['data[customer_id]']);
    // The JSON answer carries the same URL the QR code encodes.
    const json = await t.req('GET', `/api/v1/links/${link.id}?data[customer_id]=42`);
    expect(json.body.url).toBe(decoded);
  });

  it('returns SVG with Accept: image/svg+xml and JSON for anything else', async () => {
    const link = await createLink(t);
    const svg = await t.req('GET', `/api/v1/links/${link.id}`, undefined, { headers: { accept: 'image/svg+xml' } });
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.text).toMatch(/<svg[\s>]/);
    for (const accept of ['application/json', '*/*', 'text/html', 'application/json, image/png;q=0.5']) {
      const res = await t.req('GET', `/api/v1/links/${link.id}`, undefined, { headers: { accept } });
      expect(res.status, accept).toBe(200);
      expect(res.body.id, accept).toBe(link.id);
    }
  });

  it('answers 404 problem+json for an unknown id even when asking for an image', async () => {
    const res = await t.req('GET', '/api/v1/links/pl_unknown', undefined, { headers: { accept: 'image/png' } });
    expect(res.status).toBe(404);
  });
});

describe('GET /api/v1/links/{id}/qr', () => {
  it('defaults to a 240 px PNG that decodes to the link URL', async () => {
    const link = await createLink(t);
    const res = await t.req('GET', `/api/v1/links/${link.id}/qr`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/png/);
    const image = PNG.sync.read(res.raw.rawPayload);
    expect(image.width).toBe(240);
    expect(decodeQr(res.raw.rawPayload)).toBe(link.url);
  });

  it('gives SVG of the asked size, and PNG of the asked size with injected data', async () => {
    const link = await createLink(t);
    const svg = await t.req('GET', `/api/v1/links/${link.id}/qr?format=svg&size=512`);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.text).toMatch(/<svg[^>]*width="512"/);
    const png = await t.req('GET', `/api/v1/links/${link.id}/qr?format=png&size=64&data[table]=7`);
    expect(png.status).toBe(200);
    expect(PNG.sync.read(png.raw.rawPayload).width).toBe(64);
    const big = await t.req('GET', `/api/v1/links/${link.id}/qr?size=2048&data[table]=7`);
    expect(big.status).toBe(200);
    const url = new URL(decodeQr(big.raw.rawPayload));
    expect(url.searchParams.get('data[table]')).toBe('7');
  });

  it('refuses sizes out of 64..2048 and unknown formats with 422', async () => {
    const link = await createLink(t);
    for (const q of ['size=63', 'size=2049', 'size=0', 'size=-1', 'size=abc', 'size=100.5', 'format=gif', 'format=']) {
      expectValidation(await t.req('GET', `/api/v1/links/${link.id}/qr?${q}`), q.split('=')[0]!);
    }
    expectProblem(await t.req('GET', '/api/v1/links/pl_unknown/qr'), 404, 'not-found');
  });
});

describe('GET /api/v1/links (list)', () => {
  let lt: TestApp;
  let posA: string;
  let posB: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    lt = await makeApp();
    posA = (await lt.req('GET', '/api/v1/points-of-sale')).body.data[0].id;
    posB = (await lt.req('POST', '/api/v1/points-of-sale', { name: 'Terrace', currency: 'EUR' })).body.id;
    // One link a minute, so createdAt orders them: 10:00, 10:01, …
    const specs: [string, Record<string, unknown>][] = [
      ['apple', { name: 'Apple pie', description: 'Fresh from the oven' }],
      ['berry', { name: 'Berry tart', pointOfSaleId: undefined }],
      ['cherry', { name: 'Cherry cake', expiresInMinutes: 30 }],
      ['donut', { name: 'Donut', description: 'glazed 100% sugar', refIdBase: 'DONUT-77' }],
      ['eclair', { name: 'Eclair', expiresInMinutes: 120 }],
      ['fudge', { name: 'Fudge' }],
      ['gateau', { name: 'Gateau', reuse: 'multiple' }],
    ];
    for (const [key, body] of specs) {
      const res = await lt.req('POST', '/api/v1/links', { amount: '3.00', ...body, pointOfSaleId: key === 'berry' || key === 'fudge' ? posB : posA });
      expect(res.status, res.text).toBe(201);
      ids[key] = res.body.id;
      lt.clock!.advance(MIN);
    }
    // now 10:07. fudge disabled, gateau cancelled.
    expect((await lt.req('PATCH', `/api/v1/links/${ids.fudge}`, { enabled: false })).status).toBe(200);
    expect((await lt.req('POST', `/api/v1/links/${ids.gateau}/cancel`)).status).toBe(200);
  });
  afterAll(async () => {
    await lt.close();
  });

  const names = (res: { body: { data: { name: string }[] } }) => res.body.data.map((l) => l.name);

  it('lists newest first with nextCursor null at the end', async () => {
    const res = await lt.req('GET', '/api/v1/links');
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['Gateau', 'Fudge', 'Eclair', 'Donut', 'Cherry cake', 'Berry tart', 'Apple pie']);
    expect(res.body.nextCursor).toBeNull();
    for (const l of res.body.data) for (const key of LINK_KEYS) expect(l).toHaveProperty(key);
  });

  it('filters by status, never stale', async () => {
    expect(names(await lt.req('GET', '/api/v1/links?status=disabled'))).toEqual(['Fudge']);
    expect(names(await lt.req('GET', '/api/v1/links?status=cancelled'))).toEqual(['Gateau']);
    expect(names(await lt.req('GET', '/api/v1/links?status=expired'))).toEqual([]);
    expect(names(await lt.req('GET', '/api/v1/links?status=enabled'))).toEqual(['Eclair', 'Donut', 'Cherry cake', 'Berry tart', 'Apple pie']);
    // Cherry (created 10:02, 30 min) expires at 10:32.
    lt.clock!.set('2026-01-15T10:32:00.000Z');
    expect(names(await lt.req('GET', '/api/v1/links?status=expired'))).toEqual(['Cherry cake']);
    expect(names(await lt.req('GET', '/api/v1/links?status=enabled'))).toEqual(['Eclair', 'Donut', 'Berry tart', 'Apple pie']);
    lt.clock!.set('2026-01-15T10:07:00.000Z');
  });

  it('filters by point of sale', async () => {
    expect(names(await lt.req('GET', `/api/v1/links?pointOfSaleId=${posB}`))).toEqual(['Fudge', 'Berry tart']);
    expect(names(await lt.req('GET', `/api/v1/links?pointOfSaleId=${posA}`))).toHaveLength(5);
    expect(names(await lt.req('GET', '/api/v1/links?pointOfSaleId=pos_unknown'))).toEqual([]);
  });

  it('filters by creation time (exclusive bounds)', async () => {
    expect(names(await lt.req('GET', '/api/v1/links?createdAfter=2026-01-15T10:04:00Z'))).toEqual(['Gateau', 'Fudge']);
    expect(names(await lt.req('GET', '/api/v1/links?createdBefore=2026-01-15T10:02:00Z'))).toEqual(['Berry tart', 'Apple pie']);
    expect(names(await lt.req('GET', '/api/v1/links?createdAfter=2026-01-15T10:01:00Z&createdBefore=2026-01-15T10:04:00Z'))).toEqual([
      'Donut',
      'Cherry cake',
    ]);
    // 11:03:30+01:00 is 10:03:30Z: the offset counts.
    expect(names(await lt.req('GET', '/api/v1/links?createdAfter=2026-01-15T11:03:30%2B01:00'))).toEqual(['Gateau', 'Fudge', 'Eclair']);
  });

  it('filters by expiry time; links without expiry match neither bound', async () => {
    // cherry expires 10:32, eclair 12:04
    expect(names(await lt.req('GET', '/api/v1/links?expiresAfter=2026-01-15T11:00:00Z'))).toEqual(['Eclair']);
    expect(names(await lt.req('GET', '/api/v1/links?expiresBefore=2026-01-15T11:00:00Z'))).toEqual(['Cherry cake']);
    expect(names(await lt.req('GET', '/api/v1/links?expiresAfter=2026-01-15T10:00:00Z&expiresBefore=2026-01-15T13:00:00Z'))).toEqual([
      'Eclair',
      'Cherry cake',
    ]);
  });

  it('searches name, description and refIdBase with q, literally', async () => {
    expect(names(await lt.req('GET', '/api/v1/links?q=cake'))).toEqual(['Cherry cake']);
    expect(names(await lt.req('GET', '/api/v1/links?q=OVEN'))).toEqual(['Apple pie']);
    expect(names(await lt.req('GET', '/api/v1/links?q=DONUT-7'))).toEqual(['Donut']);
    expect(names(await lt.req('GET', '/api/v1/links?q=100%25'))).toEqual(['Donut']);
    expect(names(await lt.req('GET', '/api/v1/links?q=%25'))).toEqual(['Donut']);
    expect(names(await lt.req('GET', '/api/v1/links?q=_'))).toEqual([]);
    expect(names(await lt.req('GET', '/api/v1/links?q=nothing-like-this'))).toEqual([]);
    expect(names(await lt.req('GET', `/api/v1/links?q=${encodeURIComponent("' OR 1=1 --")}`))).toEqual([]);
  });

  it('combines filters', async () => {
    expect(names(await lt.req('GET', `/api/v1/links?pointOfSaleId=${posB}&status=enabled`))).toEqual(['Berry tart']);
    expect(names(await lt.req('GET', `/api/v1/links?q=e&createdBefore=2026-01-15T10:03:00Z&status=enabled`))).toEqual([
      'Cherry cake',
      'Berry tart',
      'Apple pie',
    ]);
  });

  it('pages with limit and cursor across 3 pages without duplicates or gaps', async () => {
    const all = (await lt.req('GET', '/api/v1/links?limit=200')).body.data.map((l: { id: string }) => l.id);
    expect(all).toHaveLength(7);
    const seen: string[] = [];
    let cursor: string | null = null;
    const pages: number[] = [];
    do {
      const url: string = `/api/v1/links?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await lt.req('GET', url);
      expect(res.status, res.text).toBe(200);
      pages.push(res.body.data.length);
      seen.push(...res.body.data.map((l: { id: string }) => l.id));
      cursor = res.body.nextCursor;
      expect(pages.length).toBeLessThan(10);
    } while (cursor);
    expect(pages).toEqual([3, 3, 1]);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(7);
    // A filter keeps applying on later pages.
    const p1 = await lt.req('GET', '/api/v1/links?status=enabled&limit=2');
    const p2 = await lt.req('GET', `/api/v1/links?status=enabled&limit=2&cursor=${p1.body.nextCursor}`);
    const p3 = await lt.req('GET', `/api/v1/links?status=enabled&limit=2&cursor=${p2.body.nextCursor}`);
    expect([...names(p1), ...names(p2), ...names(p3)]).toEqual(['Eclair', 'Donut', 'Cherry cake', 'Berry tart', 'Apple pie']);
    expect(p3.body.nextCursor).toBeNull();
  });

  it('pages a creation range newest first by creation time; a cursor of another list is refused', async () => {
    const range = 'createdAfter=2026-01-15T10:00:30Z&createdBefore=2026-01-15T10:05:30Z';
    const p1 = await lt.req('GET', `/api/v1/links?${range}&limit=2`);
    const p2 = await lt.req('GET', `/api/v1/links?${range}&limit=2&cursor=${p1.body.nextCursor}`);
    const p3 = await lt.req('GET', `/api/v1/links?${range}&limit=2&cursor=${p2.body.nextCursor}`);
    expect([...names(p1), ...names(p2), ...names(p3)]).toEqual(['Fudge', 'Eclair', 'Donut', 'Cherry cake', 'Berry tart']);
    expect(p3.body.nextCursor).toBeNull();
    const plain = await lt.req('GET', '/api/v1/links?limit=2');
    const mixed = await lt.req('GET', `/api/v1/links?${range}&limit=2&cursor=${plain.body.nextCursor}`);
    expect(mixed.status).toBe(422);
    expect(mixed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(mixed.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });

  it('keeps pages stable while new links are created', async () => {
    const p1 = await lt.req('GET', '/api/v1/links?limit=4');
    await createLink(lt, { name: 'Newcomer' });
    const p2 = await lt.req('GET', `/api/v1/links?limit=4&cursor=${p1.body.nextCursor}`);
    expect([...names(p1), ...names(p2)]).toEqual(['Gateau', 'Fudge', 'Eclair', 'Donut', 'Cherry cake', 'Berry tart', 'Apple pie']);
    expect(names(await lt.req('GET', '/api/v1/links?limit=1'))).toEqual(['Newcomer']);
  });

  it('refuses a cursor it did not give out with 422, never 5xx', async () => {
    for (const cursor of ['garbage', 'AAAA', Buffer.from('s-1').toString('base64url'), Buffer.from('x12').toString('base64url'), '%00', 'c'.repeat(200)]) {
      expectValidation(await lt.req('GET', `/api/v1/links?cursor=${encodeURIComponent(cursor)}`), 'cursor');
    }
    expectValidation(await lt.req('GET', `/api/v1/links?cursor=${'c'.repeat(201)}`), 'cursor');
  });

  it('refuses bad list parameters with 422', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=-1', 'limit=1.5', 'limit=abc', 'status=open', 'createdAfter=yesterday', 'expiresBefore=2026-01-15', 'unknown=1']) {
      expectValidation(await lt.req('GET', `/api/v1/links?${q}`), q.split('=')[0]!);
    }
  });
});

describe('PATCH /api/v1/links/{id}', () => {
  it('changes every changeable field', async () => {
    const link = await createLink(t, { reuse: 'multiple', amount: '10.00' });
    const patch = {
      name: 'Renamed',
      description: 'Now with a description',
      maxUses: 4,
      perPaymentAmountLimit: '10',
      totalAmountLimit: '40',
      metadata: { a: 'b' },
      locale: 'fr',
      country: 'FR',
      reference: 'REF-9',
      callbackUrl: 'https://shop.example/done',
      cancellable: false,
      expiresInMinutes: 90,
    };
    t.clock!.advance(MIN);
    const res = await t.req('PATCH', `/api/v1/links/${link.id}`, patch);
    expect(res.status, res.text).toBe(200);
    const { expiresInMinutes: _minutes, ...echoed } = patch;
    expect(res.body).toMatchObject({
      ...echoed,
      perPaymentAmountLimit: '10.00',
      totalAmountLimit: '40.00',
      expiresAt: new Date(t.clock!.now() + 90 * MIN).toISOString(),
      url: `${BASE_URL}/fr/pay-by-link/${link.id}`,
      usage: { count: 0, amount: '0.00', pendingCount: 0, remainingCount: 4, remainingAmount: '40.00' },
      createdAt: link.createdAt,
      updatedAt: new Date(t.clock!.now()).toISOString(),
    });
    expect(res.body).not.toHaveProperty('expiresInMinutes');
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body).toEqual(res.body);

    // expiresAt, expiresOn; null clears expiry and limits; amount and currency while there are no payments.
    expect((await t.req('PATCH', `/api/v1/links/${link.id}`, { expiresAt: '2026-03-01T12:00:00Z' })).body.expiresAt).toBe('2026-03-01T12:00:00.000Z');
    expect((await t.req('PATCH', `/api/v1/links/${link.id}`, { expiresOn: '2026-03-02' })).body.expiresAt).toBe('2026-03-02T23:59:59.999Z');
    const cleared = await t.req('PATCH', `/api/v1/links/${link.id}`, {
      expiresAt: null,
      maxUses: null,
      totalAmountLimit: null,
      perPaymentAmountLimit: null,
      description: null,
      reference: null,
      callbackUrl: null,
      country: null,
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body).toMatchObject({ expiresAt: null, maxUses: null, totalAmountLimit: null, perPaymentAmountLimit: null, description: null, reference: null, callbackUrl: null, country: null });
    const money = await t.req('PATCH', `/api/v1/links/${link.id}`, { amount: '1500', currency: 'JPY' });
    expect(money.status, money.text).toBe(200);
    expect(money.body).toMatchObject({ amount: '1500', currency: 'JPY', usage: { amount: '0' } });
  });

  it('does not coerce JSON types: enabled null, 0 or "false" is refused, not read as false', async () => {
    const link = await createLink(t, { reuse: 'multiple', maxUses: 2 });
    for (const patch of [{ enabled: null }, { enabled: 0 }, { enabled: 'false' }, { maxUses: 0 }, { maxUses: false }, { maxUses: true }, { expiresInMinutes: 0 }]) {
      expectValidation(await t.req('PATCH', `/api/v1/links/${link.id}`, patch), Object.keys(patch)[0]!);
    }
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body).toEqual(link);
  });

  it('switches a link off and on, with link.disabled / link.enabled events', async () => {
    const link = await createLink(t);
    const after = await t.app.core.events.lastId();
    const off = await t.req('PATCH', `/api/v1/links/${link.id}`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, status: 'disabled' });
    const on = await t.req('PATCH', `/api/v1/links/${link.id}`, { enabled: true });
    expect(on.body).toMatchObject({ enabled: true, status: 'enabled' });
    const types = (await t.req('GET', `/api/v1/events?after=${after}`)).body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(['link.updated', 'link.disabled', 'link.updated', 'link.enabled']);
  });

  it('refuses amount and currency once the link has payments with 409 link-has-payments', async () => {
    const link = await createLink(t, { reuse: 'multiple' });
    await pay(t, link.id, 'failed');
    for (const patch of [{ amount: '13.00' }, { currency: 'USD' }, { amount: '13', currency: 'USD' }]) {
      expectProblem(await t.req('PATCH', `/api/v1/links/${link.id}`, patch), 409, 'link-has-payments');
    }
    // Other fields still change.
    expect((await t.req('PATCH', `/api/v1/links/${link.id}`, { name: 'Still fine', maxUses: 10 })).status).toBe(200);
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body).toMatchObject({ amount: '12.50', currency: 'EUR', name: 'Still fine' });
  });

  it('refuses enabled: true on consumed, expired and cancelled links with 409 link-not-usable', async () => {
    const consumed = await createLink(t);
    await pay(t, consumed.id, 'succeeded');
    const expiring = await createLink(t, { expiresInMinutes: 1 });
    const cancelled = await createLink(t);
    expect((await t.req('DELETE', `/api/v1/links/${cancelled.id}`)).status).toBe(200);
    t.clock!.advance(MIN);
    for (const [link, status] of [[consumed, 'consumed'], [expiring, 'expired'], [cancelled, 'cancelled']] as const) {
      const body = expectProblem(await t.req('PATCH', `/api/v1/links/${link.id}`, { enabled: true }), 409, 'link-not-usable');
      expect(body.linkStatus).toBe(status);
      expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe(status);
      // Descriptive fields may still change.
      expect((await t.req('PATCH', `/api/v1/links/${link.id}`, { name: 'Archived', metadata: { done: 'yes' } })).status).toBe(200);
    }
  });

  it('validates PATCH bodies like create, naming the field', async () => {
    const link = await createLink(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ amount: '0' }, 'amount'],
      [{ maxUses: 3 }, 'maxUses'],
      [{ expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
      [{ locale: 'it' }, 'locale'],
      [{ enabled: 'yes' }, 'enabled'],
      [{ reuse: 'multiple' }, 'reuse'],
      [{ type: 'accountInfo' }, 'type'],
      [{ refIdBase: 'NEW' }, 'refIdBase'],
      [{ pointOfSaleId: defaultPos }, 'pointOfSaleId'],
      [{ whatever: 1 }, 'whatever'],
    ];
    for (const [patch, path] of cases) expectValidation(await t.req('PATCH', `/api/v1/links/${link.id}`, patch), path);
    expectProblem(await t.req('PATCH', `/api/v1/links/${link.id}`, {}), 422, 'validation-error');
    expectProblem(await t.req('PATCH', '/api/v1/links/pl_unknown', { name: 'x' }), 404, 'not-found');
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body).toEqual(link);
  });
});

describe('cancelling links', () => {
  it('cancels via POST …/cancel and DELETE; a second cancel is 200 again', async () => {
    for (const method of ['POST', 'DELETE'] as const) {
      const link = await createLink(t);
      const url = method === 'POST' ? `/api/v1/links/${link.id}/cancel` : `/api/v1/links/${link.id}`;
      const first = await t.req(method, url);
      expect(first.status, first.text).toBe(200);
      expect(first.body).toMatchObject({ id: link.id, status: 'cancelled' });
      const eventsBefore = await t.app.core.events.lastId();
      const second = await t.req(method, url);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(await t.app.core.events.lastId()).toBe(eventsBefore);
      // It stays cancelled and cannot be paid.
      expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('cancelled');
      await expect(pay(t, link.id)).rejects.toThrow(DomainError);
    }
  });

  it('cancels disabled and locked links', async () => {
    const disabled = await createLink(t);
    await t.req('PATCH', `/api/v1/links/${disabled.id}`, { enabled: false });
    expect((await t.req('POST', `/api/v1/links/${disabled.id}/cancel`)).body.status).toBe('cancelled');
    const locked = await createLink(t);
    const payment = await pay(t, locked.id);
    expect((await t.req('GET', `/api/v1/links/${locked.id}`)).body.status).toBe('locked');
    const res = await t.req('POST', `/api/v1/links/${locked.id}/cancel`);
    expect(res.body).toMatchObject({ status: 'cancelled', usage: { pendingCount: 0, count: 0 } });
    // The pending payment became cancelled, and a late completion is refused.
    expect((await t.req('GET', `/api/v1/payments/${payment.id}`)).body.status).toBe('cancelled');
    let refused: unknown;
    try {
      await t.app.core.payments.complete(payment.id, 'succeeded');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).type).toBe('payment-not-pending');
    expect((await t.req('GET', `/api/v1/payments/${payment.id}`)).body.status).toBe('cancelled');
    expect((await t.req('GET', `/api/v1/links/${locked.id}`)).body).toMatchObject({ status: 'cancelled', usage: { count: 0, pendingCount: 0 } });
  });

  it('refuses to cancel consumed, expired and limit-reached links with 409 link-not-usable', async () => {
    const consumed = await createLink(t);
    await pay(t, consumed.id, 'succeeded');
    const limited = await createLink(t, { reuse: 'multiple', maxUses: 1 });
    await pay(t, limited.id, 'succeeded');
    const amountLimited = await createLink(t, { reuse: 'multiple', totalAmountLimit: '12.50' });
    await pay(t, amountLimited.id, 'succeeded');
    const expiring = await createLink(t, { expiresInMinutes: 5 });
    t.clock!.advance(5 * MIN);
    for (const [link, status] of [
      [consumed, 'consumed'],
      [limited, 'usage_limit_reached'],
      [amountLimited, 'amount_limit_reached'],
      [expiring, 'expired'],
    ] as const) {
      for (const method of ['POST', 'DELETE'] as const) {
        const url = method === 'POST' ? `/api/v1/links/${link.id}/cancel` : `/api/v1/links/${link.id}`;
        const body = expectProblem(await t.req(method, url), 409, 'link-not-usable');
        expect(body.linkStatus).toBe(status);
      }
      expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe(status);
    }
    expectProblem(await t.req('POST', '/api/v1/links/pl_unknown/cancel'), 404, 'not-found');
    expectProblem(await t.req('DELETE', '/api/v1/links/pl_unknown'), 404, 'not-found');
  });
});

describe('status is never stale', () => {
  it('shows expired on the very next GET after expiresAt passes', async () => {
    const link = await createLink(t, { expiresInMinutes: 10 });
    t.clock!.advance(10 * MIN - 1);
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('enabled');
    t.clock!.advance(1);
    const res = await t.req('GET', `/api/v1/links/${link.id}`);
    expect(res.body.status).toBe('expired');
    expect(res.body.enabled).toBe(true);
    const listed = (await t.req('GET', '/api/v1/links?status=expired&limit=200')).body.data.map((l: { id: string }) => l.id);
    expect(listed).toContain(link.id);
    const events = (await t.app.core.events.after(0, 100_000)).filter((e) => e.type === 'link.expired' && (e.data as { id: string }).id === link.id);
    expect(events).toHaveLength(1);
    expect((events[0]!.data as { status: string }).status).toBe('expired');
    await expect(pay(t, link.id)).rejects.toThrow(DomainError);
  });

  it('releases the lock after the lock TTL: the next GET shows enabled and the payment abandoned', async () => {
    const link = await createLink(t);
    const payment = await pay(t, link.id);
    const locked = (await t.req('GET', `/api/v1/links/${link.id}`)).body;
    expect(locked).toMatchObject({ status: 'locked', usage: { pendingCount: 1 } });
    expect(locked.lockedUntil).toBe(new Date(t.clock!.now() + 900_000).toISOString());
    t.clock!.advance(900_000 - 1);
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('locked');
    t.clock!.advance(1);
    const released = (await t.req('GET', `/api/v1/links/${link.id}`)).body;
    expect(released).toMatchObject({ status: 'enabled', lockedUntil: null, usage: { pendingCount: 0, count: 0 } });
    expect((await t.req('GET', `/api/v1/payments/${payment.id}`)).body.status).toBe('abandoned');
    await expect(t.app.core.payments.complete(payment.id, 'succeeded')).rejects.toThrow(DomainError);
    // The link can be paid again.
    const again = await pay(t, link.id, 'succeeded');
    expect(again.status).toBe('succeeded');
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('consumed');
  });

  it('gives back a lapsed payment’s share of a multiple-use link', async () => {
    const link = await createLink(t, { reuse: 'multiple', maxUses: 1 });
    await pay(t, link.id);
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.usage).toMatchObject({ pendingCount: 1, remainingCount: 0 });
    t.clock!.advance(900_000);
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body).toMatchObject({ status: 'enabled', usage: { pendingCount: 0, remainingCount: 1 } });
  });
});
