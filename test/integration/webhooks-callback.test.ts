import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callbackTarget } from '../../core/links/callback';
import { createLink, expectValidation, makeApp, pay, type TestApp } from './helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const LIST = ['https://shop.example/thanks', 'https://shop.example/cart?step=2', 'http://192.168.1.30:8080/pos/back'];

describe('settings.callbackUrls', () => {
  it('is an empty list until set; a PATCH replaces it', async () => {
    expect((await t.req('GET', '/api/v1/settings')).body.callbackUrls).toEqual([]);
    const res = await t.req('PATCH', '/api/v1/settings', { callbackUrls: LIST });
    expect(res.status, res.text).toBe(200);
    expect(res.body.callbackUrls).toEqual(LIST);
    expect((await t.req('GET', '/api/v1/settings')).body.callbackUrls).toEqual(LIST);
    expect((await t.req('PATCH', '/api/v1/settings', { callbackUrls: [] })).body.callbackUrls).toEqual([]);
  });

  it('takes only absolute http(s) URLs without credentials or raw commas', async () => {
    await t.req('PATCH', '/api/v1/settings', { callbackUrls: LIST });
    for (const bad of [['ftp://x.example/'], ['/relative'], ['https://u:p@x.example/'], ['https://x.example/a,b'], 'https://x.example/', [1]]) {
      const res = await t.req('PATCH', '/api/v1/settings', { callbackUrls: bad });
      expectValidation(res, 'callbackUrls');
    }
    expectValidation(await t.req('PATCH', '/api/v1/settings', { callbackUrls: Array(21).fill('https://x.example/') }), 'callbackUrls');
    // A refused PATCH changes nothing, also not the merchant fields beside it.
    expectValidation(await t.req('PATCH', '/api/v1/settings', { merchantName: 'Renamed', callbackUrls: ['nope'] }), 'callbackUrls');
    const now = (await t.req('GET', '/api/v1/settings')).body;
    expect(now.callbackUrls).toEqual(LIST);
    expect(now.merchantName).not.toBe('Renamed');
  });
});

describe('link callbackUrl', () => {
  it('with no list, any absolute http(s) URL or a pair of them', async () => {
    expect((await createLink(t, { callbackUrl: 'https://anywhere.example/x?y=1' })).callbackUrl).toBe('https://anywhere.example/x?y=1');
    expect((await createLink(t, { callbackUrl: 'https://a.example/ok,https://b.example/cancel' })).callbackUrl).toBe('https://a.example/ok,https://b.example/cancel');
    expectValidation(await t.req('POST', '/api/v1/links', { name: 'n', amount: '1', callbackUrl: '0' }), 'callbackUrl');
  });

  it('resolves indexes and pairs when saved, and refuses origins off the list (422 on create and PATCH)', async () => {
    await t.req('PATCH', '/api/v1/settings', { callbackUrls: LIST });
    expect((await createLink(t, { callbackUrl: '0' })).callbackUrl).toBe('https://shop.example/thanks');
    const pair = await createLink(t, { callbackUrl: '0,1' });
    expect(pair.callbackUrl).toBe('https://shop.example/thanks,https://shop.example/cart?step=2');
    expect((await createLink(t, { callbackUrl: 'https://shop.example/order/42,2' })).callbackUrl).toBe('https://shop.example/order/42,http://192.168.1.30:8080/pos/back');
    expect((await createLink(t, { callbackUrl: 'https://shop.example/a%2Cb' })).callbackUrl).toBe('https://shop.example/a%2Cb');

    for (const bad of ['https://evil.example/', 'http://shop.example/thanks', 'https://shop.example:8443/', '3', '0,1,2', '0,', 'javascript:alert(1)', '0,https://evil.example/']) {
      expectValidation(await t.req('POST', '/api/v1/links', { name: 'n', amount: '1', callbackUrl: bad }), 'callbackUrl');
      expectValidation(await t.req('PATCH', `/api/v1/links/${pair.id}`, { callbackUrl: bad }), 'callbackUrl');
    }
    expect((await t.req('GET', `/api/v1/links/${pair.id}`)).body.callbackUrl).toBe('https://shop.example/thanks,https://shop.example/cart?step=2');
    const patched = await t.req('PATCH', `/api/v1/links/${pair.id}`, { callbackUrl: '2' });
    expect(patched.body.callbackUrl).toBe('http://192.168.1.30:8080/pos/back');
    expect((await t.req('PATCH', `/api/v1/links/${pair.id}`, { callbackUrl: null })).body.callbackUrl).toBeNull();

    // A link saved before the list changed keeps its target; other PATCHes to it still work.
    await t.req('PATCH', '/api/v1/settings', { callbackUrls: ['https://new-shop.example/'] });
    const kept = await t.req('PATCH', `/api/v1/links/${pair.id}`, { name: 'renamed' });
    expect(kept.status).toBe(200);
  });

  it('the redirect target follows the outcome and nothing else', async () => {
    await t.req('PATCH', '/api/v1/settings', { callbackUrls: LIST });
    const link = await createLink(t, { callbackUrl: '1,0', reuse: 'multiple' });
    const paid = await pay(t, link.id, 'succeeded');
    const declined = await pay(t, link.id, 'failed');
    expect(callbackTarget(link.callbackUrl, 'succeeded', paid.id)).toBe(`https://shop.example/cart?step=2&status=succeeded&paymentId=${paid.id}`);
    expect(callbackTarget(link.callbackUrl, 'failed', declined.id)).toBe(`https://shop.example/cart?step=2&status=failed&paymentId=${declined.id}`);
    expect(callbackTarget(link.callbackUrl, 'cancelled', 'pay_x')).toBe('https://shop.example/thanks?status=cancelled&paymentId=pay_x');
  });
});
