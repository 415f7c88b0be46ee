import { afterEach, describe, expect, it } from 'vitest';
import { callbackOrigins, callbackOutcome, callbackTarget, resolveCallbackUrl } from '../../../../core/links/callback';
import { errorPaths, makeCore, type TestCore } from '../../../support/core';

describe('callbackTarget (the result page redirect)', () => {
  it('appends status and paymentId to a single URL for every outcome', () => {
    expect(callbackTarget('https://shop.example/done', 'succeeded', 'pay_1')).toBe('https://shop.example/done?status=succeeded&paymentId=pay_1');
    expect(callbackTarget('https://shop.example/done', 'failed', 'pay_1')).toBe('https://shop.example/done?status=failed&paymentId=pay_1');
    expect(callbackTarget('https://shop.example/done', 'cancelled', 'pay_1')).toBe('https://shop.example/done?status=cancelled&paymentId=pay_1');
  });

  it('picks the first URL for succeeded and failed, the second for cancelled', () => {
    const pair = 'https://shop.example/ok,https://shop.example/cancel';
    expect(callbackTarget(pair, 'succeeded', 'p')).toBe('https://shop.example/ok?status=succeeded&paymentId=p');
    expect(callbackTarget(pair, 'failed', 'p')).toBe('https://shop.example/ok?status=failed&paymentId=p');
    expect(callbackTarget(pair, 'cancelled', 'p')).toBe('https://shop.example/cancel?status=cancelled&paymentId=p');
  });

  it("keeps the merchant's query and fragment, and our parameters replace any of the same name", () => {
    expect(callbackTarget('https://shop.example/r?order=42&x=a%20b#top', 'succeeded', 'p')).toBe(
      'https://shop.example/r?order=42&x=a%20b&status=succeeded&paymentId=p#top',
    );
    expect(callbackTarget('https://shop.example/r?status=paid&paymentId=evil&k=1', 'failed', 'p')).toBe('https://shop.example/r?k=1&status=failed&paymentId=p');
  });

  it('encodes the payment id and a percent-encoded comma stays inside its URL', () => {
    expect(callbackTarget('https://shop.example/a%2Cb', 'succeeded', 'a&b=c')).toBe('https://shop.example/a%2Cb?status=succeeded&paymentId=a%26b%3Dc');
  });

  it('gives null for no callback, an unknown outcome, or a stored value that is not a usable URL', () => {
    expect(callbackTarget(null, 'succeeded', 'p')).toBeNull();
    expect(callbackTarget('', 'succeeded', 'p')).toBeNull();
    expect(callbackTarget('https://shop.example/', 'pending' as never, 'p')).toBeNull();
    expect(callbackTarget('javascript:alert(1)', 'succeeded', 'p')).toBeNull();
    expect(callbackTarget('/relative', 'succeeded', 'p')).toBeNull();
  });

  it('with an allow-list, refuses a target whose origin is no longer on it', () => {
    expect(callbackTarget('https://shop.example/ok', 'succeeded', 'p', ['https://shop.example/'])).toBe('https://shop.example/ok?status=succeeded&paymentId=p');
    expect(callbackTarget('https://other.example/ok', 'succeeded', 'p', ['https://shop.example/'])).toBeNull();
    expect(callbackTarget('https://other.example/ok', 'succeeded', 'p', [])).toBe('https://other.example/ok?status=succeeded&paymentId=p');
  });
});

describe('callbackOutcome and callbackOrigins (for the dialog)', () => {
  it('maps payment statuses to the three outcomes', () => {
    expect(['succeeded', 'partially_refunded', 'refunded', 'failed', 'cancelled', 'abandoned', 'pending'].map(callbackOutcome)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'cancelled',
      'cancelled',
      null,
    ]);
  });

  it('lists the origins of both URLs of a pair', () => {
    expect(callbackOrigins('https://shop.example/ok,http://192.168.1.5:8080/cancel')).toEqual(['https://shop.example', 'http://192.168.1.5:8080']);
    expect(callbackOrigins('https://shop.example/ok,https://shop.example/cancel')).toEqual(['https://shop.example']);
    expect(callbackOrigins(null)).toEqual([]);
  });
});

describe('resolveCallbackUrl (when a link is saved)', () => {
  const list = ['https://shop.example/thanks', 'https://shop.example/cancelled', 'http://192.168.1.5:8080/back'];

  it('resolves indexes and pairs to URLs', () => {
    expect(resolveCallbackUrl('0', list)).toEqual({ ok: true, value: 'https://shop.example/thanks' });
    expect(resolveCallbackUrl('0,1', list)).toEqual({ ok: true, value: 'https://shop.example/thanks,https://shop.example/cancelled' });
    expect(resolveCallbackUrl('https://shop.example/x, 2', list)).toEqual({ ok: true, value: 'https://shop.example/x,http://192.168.1.5:8080/back' });
    expect(resolveCallbackUrl(null, list)).toEqual({ ok: true, value: null });
    expect(resolveCallbackUrl('', list)).toEqual({ ok: true, value: null });
  });

  it('enforces the allow-list by origin once it has entries', () => {
    expect(resolveCallbackUrl('https://shop.example/any/path?q=1', list).ok).toBe(true);
    expect(resolveCallbackUrl('https://SHOP.example:443/x', list).ok).toBe(true); // same origin, spelled differently
    expect(resolveCallbackUrl('http://shop.example/x', list).ok).toBe(false); // another scheme is another origin
    expect(resolveCallbackUrl('https://shop.example:8443/x', list).ok).toBe(false);
    expect(resolveCallbackUrl('https://evil.example/x', list).ok).toBe(false);
    expect(resolveCallbackUrl('0,https://evil.example/x', list).ok).toBe(false);
    expect(resolveCallbackUrl('https://evil.example/x', []).ok).toBe(true); // no list: any http(s) URL
  });

  it('refuses everything else', () => {
    for (const bad of ['3', '0,1,2', '0,', ',0', 'ftp://shop.example/', 'javascript:alert(1)', '/relative', 'https://u:p@shop.example/', 'https://shop.example/a,b,c', 5, {}]) {
      expect(resolveCallbackUrl(bad, list).ok, String(bad)).toBe(false);
    }
    expect(resolveCallbackUrl('0', []).ok).toBe(false); // an index needs a list
  });
});

describe('links with callback URLs (core)', () => {
  let t: TestCore;
  afterEach(() => t?.core.close());

  it('resolves indexes at save time; a later change of the list does not move existing links', async () => {
    t = await makeCore();
    await t.core.settings.update({ callbackUrls: ['https://shop.example/ok', 'https://shop.example/cancel'] });
    const link = await t.core.links.create({ name: 'n', amount: '5', callbackUrl: '0,1' });
    expect(link.callbackUrl).toBe('https://shop.example/ok,https://shop.example/cancel');
    await t.core.settings.update({ callbackUrls: ['https://shop.example/other'] });
    expect((await t.core.links.get(link.id)).callbackUrl).toBe('https://shop.example/ok,https://shop.example/cancel');
    expect((await t.core.links.update(link.id, { callbackUrl: '0' })).callbackUrl).toBe('https://shop.example/other');
    expect(await errorPaths(() => t.core.links.update(link.id, { callbackUrl: 'https://evil.example/' }))).toEqual(['callbackUrl']);
  });

  it('settings.callbackUrls takes only absolute http(s) URLs without commas', async () => {
    t = await makeCore();
    expect(await errorPaths(() => t.core.settings.update({ callbackUrls: ['https://ok.example/', 'nope', 'https://a.example/x,y'] }))).toEqual([
      'callbackUrls[1]',
      'callbackUrls[2]',
    ]);
    expect((await t.core.settings.all()).callbackUrls).toEqual([]);
    expect(await errorPaths(() => t.core.settings.update({ callbackUrls: 'https://ok.example/' }))).toEqual(['callbackUrls']);
  });
});
