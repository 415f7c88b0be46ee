/**
 * Errors in the staff's language (issue #12 item 3): a problem by its stable `type`, a request
 * that never reached the server as "server unreachable" — never the server's English detail or a
 * raw "Failed to fetch" — and the connectivity state the shell's band shows.
 */
import { describe, expect, it, vi } from 'vitest';
import i18next from 'i18next';
import { ApiClient, ApiError, UNREACHABLE } from '../../../../renderer/src/api/client';
import { describeError, errorToFormErrors, problemText } from '../../../../renderer/src/lib/form-errors';
import { createConnectivityStore } from '../../../../renderer/src/stores/connectivity';
import { en } from '../../../../renderer/src/i18n/en';
import { de } from '../../../../renderer/src/i18n/de';
import type { Problem } from '../../../../renderer/src/api/types';

async function translator(lng: 'en' | 'de') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { en: { translation: en }, de: { translation: de } }, fallbackLng: 'en', interpolation: { escapeValue: false } });
  return (key: string, vars?: Record<string, unknown>): string => String(i18n.t(key, vars as never));
}

const problem = (type: string, detail = 'English detail from the server'): Problem => ({ type, title: 'Title', status: 409, detail });

describe('problems by type', () => {
  it('every problem type the server can answer has words in English and German', async () => {
    const types = [
      ...(await import('node:fs')).readFileSync('core/errors.ts', 'utf8').matchAll(/\|\s*'([a-z-]+)'/g),
    ].map((m) => m[1]!);
    expect(types.length).toBeGreaterThan(20);
    for (const type of [...types, UNREACHABLE]) {
      expect(en.problems, type).toHaveProperty([type]);
      expect(de.problems, type).toHaveProperty([type]);
    }
  });

  it('says a domain problem in the UI language, not the server’s English', async () => {
    const de_ = await translator('de');
    expect(problemText(problem('link-not-usable'), de_)).toBe(de.problems['link-not-usable']);
    expect(describeError(new ApiError(409, problem('refund-exceeds-remaining')), de_)).toBe(de.problems['refund-exceeds-remaining']);
    expect(errorToFormErrors(new ApiError(409, problem('conflict')), [], {}, de_).general).toEqual([de.problems.conflict]);
  });

  it('falls back to the server’s detail for a type the UI has no words for, and without a translator', async () => {
    expect(problemText(problem('brand-new-type', 'Something new'), await translator('de'))).toBe('Something new');
    expect(problemText(problem('link-not-usable', 'It is paid.'))).toBe('It is paid.');
  });

  it('a validation error in one line lists its translated fields', async () => {
    const err = new ApiError(422, {
      type: 'validation-error',
      title: 'Invalid',
      status: 422,
      detail: 'x',
      errors: [{ path: 'bankTransfer.iban', message: 'bad', code: 'iban-checksum' }],
    });
    expect(describeError(err, await translator('de'))).toBe(`bankTransfer.iban: ${de.errorCodes['iban-checksum']}`);
  });
});

describe('a server that does not answer', () => {
  it('is an ApiError of type server-unreachable, in German words, and the client reports it (and its return)', async () => {
    const seen: boolean[] = [];
    let down = true;
    const api = new ApiClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'k',
      fetchImpl: vi.fn(async () => {
        if (down) throw new TypeError('Failed to fetch');
        return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
      }),
      onReachable: (r) => seen.push(r),
    });
    const err = await api.get('/api/v1/links').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem.type).toBe(UNREACHABLE);
    const words = describeError(err, await translator('de'));
    expect(words).toBe(de.problems['server-unreachable']);
    expect(words).not.toContain('Failed to fetch');
    down = false;
    await api.get('/api/v1/links');
    expect(seen).toEqual([false, true]);
  });

  it('a request the caller aborted says nothing about the server', async () => {
    const onReachable = vi.fn();
    const api = new ApiClient({
      baseUrl: '',
      apiKey: 'k',
      fetchImpl: vi.fn(async () => {
        throw new DOMException('aborted', 'AbortError');
      }),
      onReachable,
    });
    await expect(api.get('/x')).rejects.toMatchObject({ name: 'AbortError' });
    expect(onReachable).not.toHaveBeenCalled();
  });

  it('the connectivity store flips once per change and remembers since when', () => {
    let now = 1_000;
    const store = createConnectivityStore(() => now);
    const changes: boolean[] = [];
    store.subscribe((s) => changes.push(s.reachable));
    store.getState().report(true);
    store.getState().report(false);
    now = 5_000;
    store.getState().report(false);
    expect(store.getState()).toMatchObject({ reachable: false, lostAt: 1_000 });
    store.getState().report(true);
    expect(store.getState()).toMatchObject({ reachable: true, lostAt: null });
    expect(changes).toEqual([false, true]);
  });
});

describe('a refused sign-in', () => {
  it('says why by the server’s code — wrong PIN, no PIN yet, bad key — never "your session has ended"', async () => {
    const { loginErrorText } = await import('../../../../renderer/src/lib/error-text');
    const refused = (code?: string) => new ApiError(401, { type: 'unauthorized', title: 'Unauthorized', status: 401, detail: 'x', ...(code ? { code } : {}) });
    expect(loginErrorText(refused('pin-wrong'))).toBe(en.login.wrongPin);
    expect(loginErrorText(refused('pin-not-set'))).toBe(en.login.noPin);
    expect(loginErrorText(refused('api-key-invalid'))).toBe(en.login.wrongKey);
    expect(loginErrorText(refused())).toBe(en.login.wrongPin);
    expect(loginErrorText(new ApiError(429, { type: 'rate-limited', title: 'x', status: 429, detail: 'x' }))).toBe(en.problems['rate-limited']);
  });
});
