import { describe, expect, it } from 'vitest';
import { BASE62, newId, randomString } from '../../../core/ids';

describe('randomString', () => {
  it('gives the length asked for, over the alphabet given', () => {
    expect(randomString(22)).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(randomString(10, 'ABC')).toMatch(/^[ABC]{10}$/);
    expect(randomString(0)).toBe('');
  });

  it('never repeats across the pool refills (each random byte is used once)', () => {
    // 5,000 ids of 22 characters draw ~27 pools of 4 KiB.
    const ids = new Set(Array.from({ length: 5_000 }, () => randomString(22)));
    expect(ids.size).toBe(5_000);
  });

  it('is uniform over an alphabet that does not divide 256 (no modulo bias)', () => {
    // 62 does not divide 256: taking byte % 62 without rejection would make 0-7 come up 5/4 as often.
    const counts = new Map<string, number>();
    const text = randomString(62 * 2_000);
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const low = ['0', '1', '2', '3', '4', '5', '6', '7'].map((c) => counts.get(c)!);
    const high = [...BASE62.slice(8)].map((c) => counts.get(c)!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Expected 2,000 each (sd ~44); a biased draw would put the low ones near 2,500.
    expect(mean(low) / mean(high)).toBeGreaterThan(0.9);
    expect(mean(low) / mean(high)).toBeLessThan(1.1);
  });
});

describe('newId', () => {
  it('is the prefix and 22 base62 characters', () => {
    expect(newId('pl')).toMatch(/^pl_[0-9A-Za-z]{22}$/);
    expect(newId('pl')).not.toBe(newId('pl'));
  });
});
