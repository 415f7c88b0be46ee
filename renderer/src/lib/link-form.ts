import type { Link } from '../api/types';
import { currencyExponent, decimalToMinor } from './amount';
import { fromLocalInput, toLocalInput } from './format';

/** The link form's state: text as typed (the server validates; its errors show next to each field). */
export interface LinkFormValues {
  name: string;
  description: string;
  type: 'payment' | 'accountInfo';
  amountMode: 'fixed' | 'open';
  amount: string;
  currency: string;
  minAmount: string;
  perPaymentAmountLimit: string;
  reuse: 'single' | 'multiple';
  maxUses: string;
  totalAmountLimit: string;
  expiryMode: 'never' | 'minutes' | 'day' | 'at';
  expiresInMinutes: string;
  expiresOn: string;
  /** <input type="datetime-local"> value, local time. */
  expiresAt: string;
  locale: string;
  country: string;
  reference: string;
  cancellable: boolean;
  callbackUrl: string;
  pointOfSaleId: string;
  refIdBase: string;
  metadata: { key: string; value: string }[];
}

/** Every field name the API may blame, as the form shows it (the expiry trio is one control). */
export const LINK_FORM_FIELDS = [
  'name', 'description', 'type', 'amount', 'currency', 'minAmount', 'perPaymentAmountLimit', 'reuse', 'maxUses', 'totalAmountLimit',
  'expiry', 'locale', 'country', 'reference', 'cancellable', 'callbackUrl', 'pointOfSaleId', 'refIdBase', 'metadata', 'enabled',
];
export const LINK_FORM_ALIASES: Record<string, string> = { expiresAt: 'expiry', expiresOn: 'expiry', expiresInMinutes: 'expiry' };

export function emptyLinkForm(defaults: { currency: string; locale: string; pointOfSaleId: string }): LinkFormValues {
  return {
    name: '',
    description: '',
    type: 'payment',
    amountMode: 'fixed',
    amount: '',
    currency: defaults.currency,
    minAmount: '',
    perPaymentAmountLimit: '',
    reuse: 'single',
    maxUses: '',
    totalAmountLimit: '',
    expiryMode: 'never',
    expiresInMinutes: '',
    expiresOn: '',
    expiresAt: '',
    locale: defaults.locale,
    country: '',
    reference: '',
    cancellable: true,
    callbackUrl: '',
    pointOfSaleId: defaults.pointOfSaleId,
    refIdBase: '',
    metadata: [],
  };
}

export function linkToForm(link: Link): LinkFormValues {
  return {
    name: link.name,
    description: link.description ?? '',
    type: link.type,
    amountMode: link.amount === null ? 'open' : 'fixed',
    amount: link.amount ?? '',
    currency: link.currency,
    minAmount: link.minAmount ?? '',
    perPaymentAmountLimit: link.perPaymentAmountLimit ?? '',
    reuse: link.reuse,
    maxUses: link.maxUses === null ? '' : String(link.maxUses),
    totalAmountLimit: link.totalAmountLimit ?? '',
    expiryMode: link.expiresAt ? 'at' : 'never',
    expiresInMinutes: '',
    expiresOn: '',
    expiresAt: toLocalInput(link.expiresAt),
    locale: link.locale,
    country: link.country ?? '',
    reference: link.reference ?? '',
    cancellable: link.cancellable,
    callbackUrl: link.callbackUrl ?? '',
    pointOfSaleId: link.pointOfSaleId,
    refIdBase: link.refIdBase,
    metadata: Object.entries(link.metadata).map(([key, value]) => ({ key, value })),
  };
}

/** "12,50" (a German keyboard) -> "12.50"; anything else as typed. */
export function normalizeAmount(text: string): string {
  const t = text.trim();
  return /^\d+,\d+$/.test(t) ? t.replace(',', '.') : t;
}

/** "5" -> 5; anything else is sent as typed, so the server says what is wrong with it. */
function integer(text: string): number | string {
  const t = text.trim();
  return /^\d{1,15}$/.test(t) ? Number(t) : t;
}

function metadataObject(rows: LinkFormValues['metadata']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.key.trim() !== '') out[r.key.trim()] = r.value;
  return out;
}

function expiryBody(v: LinkFormValues): Record<string, unknown> {
  switch (v.expiryMode) {
    case 'minutes':
      return { expiresInMinutes: integer(v.expiresInMinutes) };
    case 'day':
      return { expiresOn: v.expiresOn };
    case 'at':
      return { expiresAt: fromLocalInput(v.expiresAt) };
    default:
      return {};
  }
}

/** POST /api/v1/links body: only what was filled in, so the server's defaults apply to the rest. */
export function buildCreateBody(v: LinkFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { name: v.name };
  const text = (key: string, value: string) => {
    if (value.trim() !== '') body[key] = value.trim();
  };
  text('description', v.description);
  if (v.type !== 'payment') body.type = v.type;
  text('pointOfSaleId', v.pointOfSaleId);
  text('currency', v.currency.toUpperCase());
  if (v.type === 'payment') {
    if (v.amountMode === 'fixed') body.amount = normalizeAmount(v.amount);
    else text('minAmount', normalizeAmount(v.minAmount));
    text('perPaymentAmountLimit', normalizeAmount(v.perPaymentAmountLimit));
  }
  if (v.reuse !== 'single') body.reuse = v.reuse;
  if (v.reuse === 'multiple') {
    if (v.maxUses.trim() !== '') body.maxUses = integer(v.maxUses);
    text('totalAmountLimit', normalizeAmount(v.totalAmountLimit));
  }
  Object.assign(body, expiryBody(v));
  text('locale', v.locale);
  text('country', v.country.toUpperCase());
  text('reference', v.reference);
  if (!v.cancellable) body.cancellable = false;
  text('callbackUrl', v.callbackUrl);
  text('refIdBase', v.refIdBase);
  const metadata = metadataObject(v.metadata);
  if (Object.keys(metadata).length > 0) body.metadata = metadata;
  return body;
}

function sameAmount(a: string | null, b: string, currency: string): boolean {
  if (a === null) return b.trim() === '';
  const exp = currencyExponent(currency);
  const x = decimalToMinor(a, exp);
  const y = decimalToMinor(normalizeAmount(b), exp);
  return x !== undefined && x === y;
}

/** PATCH body: only the fields that changed (the server refuses an amount change once paid). */
export function buildPatchBody(v: LinkFormValues, link: Link): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const nullable = (s: string) => (s.trim() === '' ? null : s.trim());
  if (v.name !== link.name) body.name = v.name;
  if ((nullable(v.description) ?? null) !== link.description) body.description = nullable(v.description);
  if (v.currency.toUpperCase() !== link.currency) body.currency = v.currency.trim().toUpperCase();
  const currency = v.currency.toUpperCase() || link.currency;
  if (link.type === 'payment') {
    if (v.amountMode === 'open') {
      if (link.amount !== null) body.amount = null;
      if (!sameAmount(link.minAmount, v.minAmount, currency)) body.minAmount = nullable(normalizeAmount(v.minAmount));
    } else if (!sameAmount(link.amount, v.amount, currency) || body.currency !== undefined) {
      body.amount = normalizeAmount(v.amount);
    }
    if (!sameAmount(link.perPaymentAmountLimit, v.perPaymentAmountLimit, currency)) body.perPaymentAmountLimit = nullable(normalizeAmount(v.perPaymentAmountLimit));
  }
  if (link.reuse === 'multiple') {
    const max = v.maxUses.trim() === '' ? null : integer(v.maxUses);
    if (max !== link.maxUses) body.maxUses = max;
    if (!sameAmount(link.totalAmountLimit, v.totalAmountLimit, currency)) body.totalAmountLimit = nullable(normalizeAmount(v.totalAmountLimit));
  }
  const originalAt = toLocalInput(link.expiresAt);
  if (v.expiryMode === 'never') {
    if (link.expiresAt !== null) body.expiresAt = null;
  } else if (v.expiryMode !== 'at' || v.expiresAt !== originalAt) {
    Object.assign(body, expiryBody(v));
  }
  if (v.locale !== link.locale) body.locale = v.locale;
  if ((nullable(v.country.toUpperCase()) ?? null) !== link.country) body.country = nullable(v.country.toUpperCase());
  if ((nullable(v.reference) ?? null) !== link.reference) body.reference = nullable(v.reference);
  if (v.cancellable !== link.cancellable) body.cancellable = v.cancellable;
  if ((nullable(v.callbackUrl) ?? null) !== link.callbackUrl) body.callbackUrl = nullable(v.callbackUrl);
  const metadata = metadataObject(v.metadata);
  if (JSON.stringify(metadata) !== JSON.stringify(link.metadata)) body.metadata = metadata;
  return body;
}
