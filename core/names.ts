import { LOCALES, type Locale } from './links/types';

/**
 * Names the server makes up (a counter charge's link, the first point of sale) in the language
 * the customer or the shop reads: a German customer sees "Zahlung Tisch 4", not "Charge Tisch 4".
 */
const NAMES: Record<Locale, { charge: string; chargeFor: (reference: string) => string; mainCounter: string }> = {
  en: { charge: 'Counter charge', chargeFor: (r) => `Charge ${r}`, mainCounter: 'Main counter' },
  de: { charge: 'Kassenzahlung', chargeFor: (r) => `Zahlung ${r}`, mainCounter: 'Hauptkasse' },
  fr: { charge: 'Paiement au comptoir', chargeFor: (r) => `Paiement ${r}`, mainCounter: 'Caisse principale' },
  nl: { charge: 'Kassabetaling', chargeFor: (r) => `Betaling ${r}`, mainCounter: 'Hoofdkassa' },
};

const namesFor = (locale: unknown) => NAMES[LOCALES.includes(locale as Locale) ? (locale as Locale) : 'en'];

/** A charge's link name: its reference when staff typed one. At most 120 characters. */
export function chargeName(locale: unknown, reference: string | undefined): string {
  const n = namesFor(locale);
  return (reference ? n.chargeFor(reference) : n.charge).slice(0, 120);
}

export function mainCounterName(locale: unknown): string {
  return namesFor(locale).mainCounter;
}
