import type { Store, Tx } from './store/port';
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
  /** Postal address printed on receipts and day reports (multi-line, <= 300 characters). */
  address: string | null;
  /** VAT identification number printed on receipts (<= 30 characters). */
  vatId: string | null;
}

export const MERCHANT_LIMITS = { address: 300, vatId: 30 } as const;

/** The machine's zone, looked up once: Intl's lookup is slow enough to show in every request. */
let machineTimeZone: string | undefined;

export function defaultMerchantSettings(): MerchantSettings {
  machineTimeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return {
    merchantName: 'My shop',
    timeZone: machineTimeZone,
    defaultCurrency: 'EUR',
    country: null,
    defaultLocale: 'en',
    address: null,
    vatId: null,
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

/**
 * A group of settings owned by a feature (email, SMS, billing, callback URLs…). Each stores its
 * value under its own key, validates its own PATCH, and decides what a reader may see: secrets
 * are write-only and never leave `read()`.
 */
export interface SettingsSection<V = unknown> {
  key: string;
  /** The value as the API shows it (secrets replaced by e.g. `passwordSet: true`). */
  read(t: Tx): Promise<V>;
  /** Validates and stores a PATCH of this section (in the settings transaction); field errors go to `c` with paths under `key`. */
  update(t: Tx, patch: unknown, c: Checker): Promise<void>;
  /** After a PATCH of this section committed (no transaction): e.g. check new credentials with their service. */
  afterCommit?(): void;
}

/** The one lock every settings read-modify-write takes, so two servers' PATCHes cannot interleave. */
export const SETTINGS_LOCK = 'settings';

export class SettingsService {
  private readonly sections = new Map<string, SettingsSection>();

  constructor(private readonly store: Store) {}

  register(section: SettingsSection): void {
    this.sections.set(section.key, section);
  }

  /** Raw stored value of a section, for the feature that owns it. */
  stored<T>(t: Tx, key: string): Promise<T | undefined> {
    return t.settings.get<T>(key);
  }

  /** Writes a raw value; read-modify-write callers hold `t.lock(SETTINGS_LOCK)`. */
  save(t: Tx, key: string, value: unknown): Promise<void> {
    return t.settings.set(key, value);
  }

  /** Everything GET /settings shows: the merchant fields, then one member per section. */
  all(): Promise<Record<string, unknown>> {
    return this.store.read((t) => this.allIn(t));
  }

  private async allIn(t: Tx): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = { ...(await this.merchant(t)) };
    for (const [key, section] of this.sections) out[key] = await section.read(t);
    return out;
  }

  /** A PATCH over merchant fields and sections, all validated before anything is stored. */
  async update(patch: Record<string, unknown>): Promise<Record<string, unknown>> {
    const merchantPatch: Record<string, unknown> = {};
    const sectionPatches: [SettingsSection, unknown][] = [];
    for (const [key, value] of Object.entries(patch)) {
      const section = this.sections.get(key);
      if (section) sectionPatches.push([section, value]);
      else merchantPatch[key] = value;
    }
    await this.store.tx(async (t) => {
      await t.lock(SETTINGS_LOCK);
      const c = new Checker();
      for (const [section, value] of sectionPatches) await section.update(t, value, c);
      c.throwIfAny();
      if (Object.keys(merchantPatch).length > 0) await this.updateMerchant(t, merchantPatch);
    });
    for (const [section] of sectionPatches) section.afterCommit?.();
    return this.all();
  }

  /** The merchant's own settings, read in the caller's transaction. */
  async merchant(t: Tx): Promise<MerchantSettings> {
    return { ...defaultMerchantSettings(), ...(await t.settings.get<Partial<MerchantSettings>>('merchant')) };
  }

  /** The merchant's settings on their own (a read of their own). */
  readMerchant(): Promise<MerchantSettings> {
    return this.store.read((t) => this.merchant(t));
  }

  async updateMerchant(t: Tx, patch: Record<string, unknown>): Promise<MerchantSettings> {
    const c = new Checker();
    const next = await this.merchant(t);
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
    if (patch.address !== undefined) {
      // Line breaks as the shop typed them (\r\n from a textarea becomes \n); blank clears it.
      const text = c.optionalText(typeof patch.address === 'string' ? patch.address.replace(/\r\n?/g, '\n').trim() : patch.address, 'address', MERCHANT_LIMITS.address);
      if (text !== undefined) next.address = text;
    }
    if (patch.vatId !== undefined) {
      const text = c.optionalText(typeof patch.vatId === 'string' ? patch.vatId.trim() : patch.vatId, 'vatId', MERCHANT_LIMITS.vatId);
      if (text !== undefined) {
        if (text !== null && !/^[A-Za-z0-9 .\-/]+$/.test(text)) c.fail('vatId', 'may hold letters, digits, spaces, dots, hyphens and slashes', 'pattern');
        else next.vatId = text;
      }
    }
    c.throwIfAny();
    await t.settings.set('merchant', next);
    return next;
  }
}
