/**
 * The first-start screen's logic (renderer/src/lib/first-start.ts): the code as typed, when the
 * join form may be sent, which found hub the address points at, and words for every outcome in
 * both languages (a wrong, used or expired code reads as the API's pairing-code-invalid).
 */
import { describe, expect, it } from 'vitest';
import type { JoinFailure } from '../../../../renderer/src/bridge';
import { en } from '../../../../renderer/src/i18n/en';
import { de } from '../../../../renderer/src/i18n/de';
import { canJoin, codeInput, failureField, failureWords, joinRequest, pickedHub } from '../../../../renderer/src/lib/first-start';

const REASONS: JoinFailure[] = ['address', 'code-format', 'name', 'unreachable', 'code-invalid', 'rate-limited', 'wrong-role', 'not-a-hub', 'busy'];

function lookup(dict: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), dict);
}

describe('the join form', () => {
  it('takes the code as the hub shows it: capitals, no separators, 8 at most', () => {
    expect(codeInput('abcd-efgh')).toBe('ABCDEFGH');
    expect(codeInput(' ab cd ef gh jk ')).toBe('ABCDEFGH');
    expect(codeInput('ä!?')).toBe('');
  });

  it('is sent only with an address, a whole code and a name, trimmed', () => {
    const form = { address: ' 192.168.1.20 ', code: 'abcd efgh', name: ' Till 2 ' };
    expect(canJoin(form)).toBe(true);
    expect(joinRequest(form)).toEqual({ address: '192.168.1.20', code: 'ABCDEFGH', name: 'Till 2' });
    expect(canJoin({ ...form, address: '  ' })).toBe(false);
    expect(canJoin({ ...form, code: 'ABCDEFG' })).toBe(false);
    expect(canJoin({ ...form, name: '' })).toBe(false);
  });

  it('knows which found hub the address points at, picked or typed', () => {
    const hubs = [
      { id: 'a', shopName: 'Aroma', origin: 'http://192.168.1.30:4780' },
      { id: 'b', shopName: 'Bloom', origin: 'http://192.168.1.20:4780' },
    ];
    expect(pickedHub(hubs, 'http://192.168.1.20:4780')?.id).toBe('b');
    expect(pickedHub(hubs, '192.168.1.30:4780/')?.id).toBe('a');
    expect(pickedHub(hubs, '192.168.1.40:4780')).toBeUndefined();
    expect(pickedHub(hubs, '')).toBeUndefined();
  });
});

describe('words for every outcome', () => {
  it('a wrong, used or expired code is the API’s own pairing-code-invalid text; rate limits say when to retry', () => {
    expect(failureWords('code-invalid')).toEqual({ key: 'problems.pairing-code-invalid' });
    expect(failureWords('rate-limited', 42)).toEqual({ key: 'firstStart.errors.rateLimited', values: { seconds: 42 } });
    expect(failureWords('rate-limited').values).toEqual({ seconds: 60 });
  });

  it('every reason has words in English and German, and the seconds in the rate-limit text', () => {
    for (const reason of REASONS) {
      const { key } = failureWords(reason);
      for (const dict of [en, de]) expect(typeof lookup(dict, key), `${key}`).toBe('string');
    }
    expect(lookup(en, 'firstStart.errors.rateLimited')).toContain('{{seconds}}');
    expect(lookup(de, 'firstStart.errors.rateLimited')).toContain('{{seconds}}');
  });

  it('shows a failure at its field: the address, the code or the name; busy on the whole form', () => {
    expect(failureField('unreachable')).toBe('address');
    expect(failureField('not-a-hub')).toBe('address');
    expect(failureField('code-invalid')).toBe('code');
    expect(failureField('wrong-role')).toBe('code');
    expect(failureField('name')).toBe('name');
    expect(failureField('rate-limited')).toBeUndefined();
    expect(failureField('busy')).toBeUndefined();
  });
});
