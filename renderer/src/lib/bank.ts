/**
 * Bank transfer helpers for the staff UI. The IBAN/BIC rules have one home, core/banking/iban.ts
 * (pure functions, no imports): the UI checks what staff type with the very code the server
 * validates with, so the two can never disagree. The server still decides (problem+json codes).
 */
import { formatIban, groupsOfFour, IBAN_LENGTHS, normaliseBic, normaliseIban, validateBic, validateIban, type BicErrorCode, type IbanErrorCode } from '../../../core/banking/iban';
import type { BankTransferSettings, MerchantSettings, Payment, PaymentMethodInfo } from '../api/types';
import { DEFAULT_HOLD_DAYS } from '../api/types';

export { formatIban, normaliseBic, normaliseIban, validateBic, validateIban };

export const HOLDER_MAX = 70;
export const HOLD_DAYS_MIN = 1;
export const HOLD_DAYS_MAX = 30;

/** "RF18539007547034" -> "RF18 5390 0754 7034", the way it is printed for people to type. */
export function formatReference(reference: string): string {
  return groupsOfFour(reference.replace(/\s+/g, '').toUpperCase());
}

/** settings.bankTransfer as read, with the defaults filled in (an older server has none). */
export function bankSettingsOf(merchant: MerchantSettings | null | undefined): BankTransferSettings {
  const raw = (merchant?.bankTransfer ?? null) as Partial<BankTransferSettings> | null;
  return {
    accountHolder: typeof raw?.accountHolder === 'string' ? raw.accountHolder : null,
    iban: typeof raw?.iban === 'string' ? raw.iban : null,
    bic: typeof raw?.bic === 'string' && raw.bic !== '' ? raw.bic : null,
    holdDays: typeof raw?.holdDays === 'number' ? raw.holdDays : DEFAULT_HOLD_DAYS,
  };
}

export type BankQrBlock = null | 'not-configured' | 'currency' | 'unavailable';

/**
 * Whether a counter can charge by bank transfer now, and if not why: the method list of the
 * current mode decides when the server gives one; else the settings (holder and IBAN set).
 * Transfers are EUR only.
 */
export function bankQrBlock(currency: string, merchant: MerchantSettings | null | undefined, methods: PaymentMethodInfo[] | null): BankQrBlock {
  if (currency.toUpperCase() !== 'EUR') return 'currency';
  const method = methods?.find((m) => m.id === 'sepa_transfer');
  if (method) return method.available ? null : method.reason === 'not-configured' ? 'not-configured' : 'unavailable';
  const s = bankSettingsOf(merchant);
  return s.accountHolder && s.iban ? null : 'not-configured';
}

export type BankFieldCode = IbanErrorCode | BicErrorCode;

/** The client-side check of the bank settings form: field -> error code (nothing: fine so far). */
export interface BankFormValues {
  accountHolder: string;
  iban: string;
  bic: string;
  holdDays: string;
}

export type BankFormCheck = Partial<Record<keyof BankFormValues, { code: string; params?: Record<string, unknown> }>>;

export function checkBankForm(v: BankFormValues): BankFormCheck {
  const out: BankFormCheck = {};
  const holder = v.accountHolder.trim();
  if (holder === '') out.accountHolder = { code: 'required' };
  else if ([...holder].length > HOLDER_MAX) out.accountHolder = { code: 'holder-too-long', params: { max: HOLDER_MAX } };
  if (v.iban.trim() === '') out.iban = { code: 'required' };
  else {
    const r = validateIban(v.iban);
    if (!r.ok) out.iban = { code: r.code, params: ibanParams(v.iban) };
  }
  if (v.bic.trim() !== '') {
    const r = validateBic(v.bic);
    if (!r.ok) out.bic = { code: r.code, params: { length: normaliseBic(v.bic).length } };
  }
  const days = Number(v.holdDays);
  if (!/^\d+$/.test(v.holdDays.trim()) || days < HOLD_DAYS_MIN || days > HOLD_DAYS_MAX) out.holdDays = { code: 'hold-days', params: { min: HOLD_DAYS_MIN, max: HOLD_DAYS_MAX } };
  return out;
}

/** What the IBAN messages say: its country and lengths. */
export function ibanParams(input: string): Record<string, unknown> {
  const iban = normaliseIban(input);
  return { country: iban.slice(0, 2), actual: iban.length, length: IBAN_LENGTHS[iban.slice(0, 2)] };
}

/** A count that is a number (the history) or a list (an import's matched and unmatched credits). */
export function countOf(value: number | unknown[] | null | undefined): number {
  if (Array.isArray(value)) return value.length;
  return typeof value === 'number' ? value : 0;
}

/** Reads a dropped or picked file as text (camt files are UTF-8 XML). */
export function readFileText(file: Blob): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsText(file);
  });
}

/** Statements are at most 10 MB (API.md). */
export const STATEMENT_MAX_BYTES = 10 * 1024 * 1024;

/** Pending bank transfer payments whose refId, creditor reference or reference contains the query (spaces and case ignored). */
export function filterTransferPayments(payments: Payment[], query: string): Payment[] {
  const q = query.replace(/\s+/g, '').toUpperCase();
  const has = (v: string | null | undefined): boolean => (v ?? '').replace(/\s+/g, '').toUpperCase().includes(q);
  return payments.filter((p) => p.method === 'sepa_transfer' && p.status === 'pending' && (q === '' || has(p.refId) || has(p.bankTransfer?.creditorReference) || has(p.reference)));
}
