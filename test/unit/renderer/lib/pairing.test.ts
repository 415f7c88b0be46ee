/**
 * Pairing from the hub's QR (renderer/src/lib/pairing.ts): the code comes from the fragment and
 * leaves the address bar at once; the hub's answers become words, never the server's English.
 */
import { describe, expect, it } from 'vitest';
import { COUNTER_CREDENTIAL_KEY, forgetCredential, pairCodeFromHash, pairDevice, readCredential, saveCredential, takePairCode } from '../../../../renderer/src/lib/pairing';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })) as unknown as typeof fetch;

describe('the pairing code in the address', () => {
  it('is read from #pair=CODE only', () => {
    expect(pairCodeFromHash('#pair=ABCD2345')).toBe('ABCD2345');
    expect(pairCodeFromHash('#pair=ABCD-2345&x=1')).toBe('ABCD-2345');
    expect(pairCodeFromHash('#/display/pos_1')).toBeNull();
    expect(pairCodeFromHash('')).toBeNull();
    expect(pairCodeFromHash('#pair=')).toBeNull();
  });

  it('leaves the address bar at once (path and query kept), and never under file://', () => {
    const replaced: string[] = [];
    const hist = { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) };
    expect(takePairCode({ hash: '#pair=ABCD2345', pathname: '/display/pos_1', search: '?x=1', protocol: 'http:' }, hist)).toBe('ABCD2345');
    expect(replaced).toEqual(['/display/pos_1?x=1']);
    expect(takePairCode({ hash: '', pathname: '/', search: '', protocol: 'http:' }, hist)).toBeNull();
    expect(takePairCode({ hash: '#pair=ABCD2345', pathname: '/index.html', search: '', protocol: 'file:' }, hist)).toBeNull();
    expect(replaced).toHaveLength(1);
  });
});

describe('pairing with the hub', () => {
  it('keeps the device and its token', async () => {
    const result = await pairDevice('ABCD2345', 'Display tablet', '', answer(201, { device: { id: 'dev_1', name: 'Display tablet', role: 'display', pointOfSaleId: 'pos_1' }, token: 'cld_x' }));
    expect(result).toEqual({ ok: true, token: 'cld_x', deviceId: 'dev_1', name: 'Display tablet', role: 'display', pointOfSaleId: 'pos_1' });
    const storage = memoryStorage();
    if (result.ok) saveCredential(storage, COUNTER_CREDENTIAL_KEY, result);
    expect(readCredential(storage, COUNTER_CREDENTIAL_KEY)).toMatchObject({ token: 'cld_x', pointOfSaleId: 'pos_1' });
    forgetCredential(storage, COUNTER_CREDENTIAL_KEY);
    expect(readCredential(storage, COUNTER_CREDENTIAL_KEY)).toBeUndefined();
    storage.setItem(COUNTER_CREDENTIAL_KEY, '{not json');
    expect(readCredential(storage, COUNTER_CREDENTIAL_KEY)).toBeUndefined();
  });

  it('says why it failed: invalid code, rate limited (with the wait), hub unreachable, anything else', async () => {
    expect(await pairDevice('X', 'n', '', answer(401, { type: 'pairing-code-invalid', status: 401 }))).toEqual({ ok: false, reason: 'invalid' });
    expect(await pairDevice('X', 'n', '', answer(429, { type: 'rate-limited', retryAfterSeconds: 42 }, { 'retry-after': '42' }))).toEqual({ ok: false, reason: 'rate-limited', retryAfterSeconds: 42 });
    expect(await pairDevice('X', 'n', '', answer(429, { type: 'rate-limited' }, { 'retry-after': '17' }))).toEqual({ ok: false, reason: 'rate-limited', retryAfterSeconds: 17 });
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await pairDevice('X', 'n', '', down)).toEqual({ ok: false, reason: 'unreachable' });
    expect(await pairDevice('X', 'n', '', answer(503, { type: 'service-unavailable' }))).toEqual({ ok: false, reason: 'unreachable' });
    expect(await pairDevice('X', '', '', answer(400, { type: 'validation-error' }))).toEqual({ ok: false, reason: 'failed', status: 400, type: 'validation-error' });
  });
});
