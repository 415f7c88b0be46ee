import type { Store } from './store/store';
import { Checker } from './validate';
import { isCurrency } from './currencies';
import { LOCALES, type Locale } from './links/types';

export interface MerchantSettings {
  merchantName: string;
  /** IANA zone: `expiresOn` means the end of that day here. */
  timeZone: string;
  defaultCurrency: string;
  /** ISO 3166-1 alpha-2, for reading phone numbers without a country code. */
  country: string | null;
  defaultLocale: Locale;
}

export function defaultMerchantSettings(): MerchantSettings {
  return {
    merchantName: 'My shop',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    defaultCurrency: 'EUR',
    country: null,
    defaultLocale: 'en',
  };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class SettingsService {
  constructor(private readonly store: Store) {}

  merchant(): MerchantSettings {
    return { ...defaultMerchantSettings(), ...this.store.settings.get<Partial<MerchantSettings>>('merchant') };
  }

  updateMerchant(patch: Record<string, unknown>): MerchantSettings {
    const c = new Checker();
    const next = this.merchant();
    if (patch.merchantName !== undefined) next.merchantName = c.text(patch.merchantName, 'merchantName', { min: 1, max: 120 }) ?? next.merchantName;
    if (patch.timeZone !== undefined) {
      if (typeof patch.timeZone === 'string' && isTimeZone(patch.timeZone)) next.timeZone = patch.timeZone;
      else c.fail('timeZone', 'must be an IANA time zone such as Europe/Berlin');
    }
    if (patch.defaultCurrency !== undefined) {
      if (typeof patch.defaultCurrency === 'string' && isCurrency(patch.defaultCurrency)) next.defaultCurrency = patch.defaultCurrency;
      else c.fail('defaultCurrency', 'must be an ISO 4217 currency code');
    }
    if (patch.country !== undefined) {
      if (patch.country === null || (typeof patch.country === 'string' && /^[A-Z]{2}$/.test(patch.country))) next.country = patch.country;
      else c.fail('country', 'must be an ISO 3166-1 alpha-2 code such as DE');
    }
    if (patch.defaultLocale !== undefined) {
      if (LOCALES.includes(patch.defaultLocale as Locale)) next.defaultLocale = patch.defaultLocale as Locale;
      else c.fail('defaultLocale', `must be one of ${LOCALES.join(', ')}`);
    }
    c.throwIfAny();
    this.store.settings.set('merchant', next);
    return next;
  }
}
