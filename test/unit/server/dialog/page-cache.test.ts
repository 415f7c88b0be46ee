import { describe, expect, it } from 'vitest';
import { PageCache } from '../../../../server/dialog/page-cache';

describe('PageCache', () => {
  it('renders once for the same props and again when any prop changes', () => {
    const cache = new PageCache();
    let renders = 0;
    const make = (html: string) => () => {
      renders++;
      return html;
    };
    const link = { id: 'pl_1', usedAmount: 0, updatedAt: 1 };
    expect(cache.render({ link, locale: 'en' }, make('a'))).toBe('a');
    expect(cache.render({ link: { ...link }, locale: 'en' }, make('b'))).toBe('a');
    expect(renders).toBe(1);
    expect(cache.render({ link: { ...link, usedAmount: 500 }, locale: 'en' }, make('c'))).toBe('c');
    expect(cache.render({ link, locale: 'de' }, make('d'))).toBe('d');
    expect(renders).toBe(3);
  });

  it('leaves functions out of the key (the translator follows the locale, which is in it)', () => {
    const cache = new PageCache();
    expect(cache.render({ ctx: { locale: 'en', t: () => 'x' } }, () => 'first')).toBe('first');
    expect(cache.render({ ctx: { locale: 'en', t: () => 'y' } }, () => 'second')).toBe('first');
  });

  it('keeps at most max pages, dropping the least recently used', () => {
    const cache = new PageCache(2);
    cache.render({ n: 1 }, () => 'one');
    cache.render({ n: 2 }, () => 'two');
    cache.render({ n: 1 }, () => 'unused'); // 1 is now the most recent
    cache.render({ n: 3 }, () => 'three'); // drops 2
    expect(cache.size).toBe(2);
    expect(cache.render({ n: 1 }, () => 'again')).toBe('one');
    expect(cache.render({ n: 2 }, () => 'two again')).toBe('two again');
  });
});
