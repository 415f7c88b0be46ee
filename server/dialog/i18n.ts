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

export function translator(locale: Locale): T {
  return instance.getFixedT(locale);
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
