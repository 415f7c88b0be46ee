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
  /** The methods the payer may choose from; null = every method available when they pay. */
  methods: string[] | null;
}

/** Every field name the API may blame, as the form shows it (the expiry trio is one control). */
export const LINK_FORM_FIELDS = [
  'name', 'description', 'type', 'amount', 'currency', 'minAmount', 'perPaymentAmountLimit', 'reuse', 'maxUses', 'totalAmountLimit',
  'expiry', 'locale', 'country', 'reference', 'cancellable', 'callbackUrl', 'pointOfSaleId', 'refIdBase', 'metadata', 'enabled', 'methods',
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
    methods: null,
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
    methods: link.methods ?? null,
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
  if (v.type === 'payment' && v.methods !== null) body.methods = v.methods;
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
  if (link.type === 'payment' && JSON.stringify(v.methods) !== JSON.stringify(link.methods ?? null)) body.methods = v.methods;
  return body;
}

type Translate = (key: string, vars?: Record<string, unknown>) => string;

/** Which form field a changed value belongs to (its errors go once it is edited). */
export function fieldOfValue(key: keyof LinkFormValues): string {
  if (key === 'expiryMode' || key === 'expiresInMinutes' || key === 'expiresOn' || key === 'expiresAt') return 'expiry';
  if (key === 'amountMode') return 'amount';
  return key;
}

/** An amount as typed ("12,50" too): its error, or undefined when it is fine. */
function amountProblem(text: string, currency: string, t: Translate): string | undefined {
  const normalized = normalizeAmount(text);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(normalized);
  if (!m || Number(m[1]) > 999_999_999) return t('errors.amount');
  const exp = currencyExponent(currency);
  if ((m[2] ?? '').length > exp) return t('errors.decimals', { currency, n: exp });
  if (/^0*(\.0*)?$/.test(normalized)) return t('errors.amount');
  return undefined;
}

function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * What the form can tell before asking the server, all at once (the server checks its schema
 * first and the rest only after it passes, so it names one kind of mistake per submit). Only
 * rules the server has too, never stricter: anything subtler is still the server's to say.
 */
export function validateLinkForm(v: LinkFormValues, t: Translate, options: { now?: Date; original?: Link } = {}): Record<string, string[]> {
  const now = options.now ?? new Date();
  // Editing: an expiry left as it was is not sent, so it needs no check (the link may be expired).
  const expiryUnchanged = options.original !== undefined && v.expiryMode === 'at' && v.expiresAt === toLocalInput(options.original.expiresAt);
  const out: Record<string, string[]> = {};
  const add = (field: string, message: string | undefined) => {
    if (message) (out[field] ??= []).push(message);
  };
  const name = v.name.trim();
  if (name === '') add('name', t('errors.required'));
  else if (name.length > 120) add('name', t('errors.maxLength', { n: 120 }));

  const currency = v.currency.trim().toUpperCase();
  const currencyOk = /^[A-Z]{3}$/.test(currency);
  if (v.type === 'payment' && !currencyOk) add('currency', t('errors.currency'));
  if (v.type === 'payment' && currencyOk) {
    if (v.amountMode === 'fixed') add('amount', v.amount.trim() === '' ? t('errors.required') : amountProblem(v.amount, currency, t));
    else if (v.minAmount.trim() !== '') add('minAmount', amountProblem(v.minAmount, currency, t));
    if (v.perPaymentAmountLimit.trim() !== '') add('perPaymentAmountLimit', amountProblem(v.perPaymentAmountLimit, currency, t));
    if (v.reuse === 'multiple' && v.totalAmountLimit.trim() !== '') add('totalAmountLimit', amountProblem(v.totalAmountLimit, currency, t));
  }

  if (v.reuse === 'multiple' && v.maxUses.trim() !== '') {
    const text = v.maxUses.trim();
    if (!/^-?\d+$/.test(text)) add('maxUses', t('errors.integer'));
    else if (Number(text) < 1) add('maxUses', t('errors.min', { n: 1 }));
  }

  switch (v.expiryMode) {
    case 'minutes': {
      const text = v.expiresInMinutes.trim();
      if (text === '') add('expiry', t('errors.required'));
      else if (!/^-?\d+$/.test(text)) add('expiry', t('errors.integer'));
      else if (Number(text) < 1) add('expiry', t('errors.min', { n: 1 }));
      break;
    }
    case 'day':
      if (v.expiresOn === '') add('expiry', t('errors.required'));
      else if (v.expiresOn < localDay(now)) add('expiry', t('errors.future'));
      break;
    case 'at': {
      if (expiryUnchanged) break;
      if (v.expiresAt === '') {
        add('expiry', t('errors.required'));
        break;
      }
      const at = new Date(v.expiresAt);
      if (!Number.isNaN(at.getTime()) && at.getTime() <= now.getTime()) add('expiry', t('errors.future'));
      break;
    }
    default:
      break;
  }

  if (v.country.trim() !== '' && !/^[A-Za-z]{2}$/.test(v.country.trim())) add('country', t('errors.country'));
  if (v.refIdBase.trim() !== '' && !/^[A-Za-z0-9-]{1,13}$/.test(v.refIdBase.trim())) add('refIdBase', t('errors.refIdBase'));
  return out;
}
