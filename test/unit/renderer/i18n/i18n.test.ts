import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../../renderer/src/i18n/en';
import { de } from '../../../../renderer/src/i18n/de';
import { DISPLAY_LOCALES, displayText } from '../../../../renderer/src/i18n/display';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

describe('staff UI translations', () => {
  it('German has exactly the English keys, none empty, placeholders kept', () => {
    const enKeys = keys(en).sort();
    expect(keys(de).sort()).toEqual(enKeys);
    const get = (o: object, k: string) => k.split('.').reduce<unknown>((x, part) => (x as Record<string, unknown>)[part], o) as string;
    for (const k of enKeys) {
      expect(get(de, k).trim(), k).not.toBe('');
      const vars = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
      expect(vars(get(de, k)), k).toEqual(vars(get(en, k)));
    }
  });

  it('every literal t("…") key in the renderer exists', () => {
    const all = new Set(keys(en));
    const missing: string[] = [];
    for (const file of sources(join(import.meta.dirname, '../../../../renderer/src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        if (!all.has(m[1]!)) missing.push(`${m[1]} (${file})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the counter display speaks en, de, fr and nl, falling back to English', () => {
    expect(DISPLAY_LOCALES.sort()).toEqual(['de', 'en', 'fr', 'nl']);
    expect(displayText('de', 'paid')).toBe('Bezahlt');
    expect(displayText('xx', 'paid')).toBe('Paid');
    expect(displayText('en', 'timeLeft', { time: '4:59' })).toBe('Valid for 4:59');
  });
});
