import i18next, { type TFunction } from 'i18next';
import { LOCALES, type Locale } from '../../core/links/types';
import { en } from './locales/en';
import { de } from './locales/de';
import { fr } from './locales/fr';
import { nl } from './locales/nl';

export type { Messages } from './locales/en';
export { LOCALES, type Locale };

export const MESSAGES = { en, de, fr, nl } as const;

/** Endonyms for the language switcher: never translated. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', fr: 'Français', nl: 'Nederlands' };

/**
 * One i18next instance for the dialog, initialised synchronously at import. Values are not
 * escaped here: React escapes every text node and attribute when the page is rendered.
 */
const instance = i18next.createInstance();
void instance.init({
  resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: MESSAGES[l] }])),
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  initAsync: false,
  returnNull: false,
  interpolation: { escapeValue: false, skipOnVariables: true },
});

export type T = TFunction;

/**
 * A page asks for ~50 strings and i18next resolves each through its whole pipeline (namespaces,
 * fallbacks, nesting, interpolation): that was most of the dialog's CPU. The messages never change
 * at run time, so each (key, options) answer is kept once it has been worked out. Options hold
 * small values (amounts, names, dates): the cache is bounded and simply starts over when full.
 */
const CACHE_LIMIT = 20_000;
const translated = new Map<string, string>();
const translators = new Map<Locale, T>();

function memoized(locale: Locale): T {
  const fixed = instance.getFixedT(locale);
  const t = ((key: string | string[], options?: unknown) => {
    const id = options === undefined ? `${locale}\u0000${String(key)}` : `${locale}\u0000${String(key)}\u0000${JSON.stringify(options)}`;
    let value = translated.get(id);
    if (value === undefined) {
      value = String(fixed(key as string, options as never));
      if (translated.size >= CACHE_LIMIT) translated.clear();
      translated.set(id, value);
    }
    return value;
  }) as unknown as T;
  return t;
}

export function translator(locale: Locale): T {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = memoized(locale)));
  return t;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The locale segment of a dialog URL: a supported locale as is; a language tag whose primary
 * subtag is supported (`de-AT`, `FR`) as that locale; anything else undefined (the caller falls
 * back to the link's own locale).
 */
export function localeFromSegment(segment: string | undefined): Locale | undefined {
  if (!segment || !/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/.test(segment)) return undefined;
  const primary = segment.split(/[-_]/)[0]!.toLowerCase();
  return isLocale(primary) ? primary : undefined;
}
