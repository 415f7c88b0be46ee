import { DateTime } from 'luxon';
import { type Checker, checkMetadata } from '../validate';
import { currencyExponent, isCurrency } from '../currencies';
import { MAX_MAJOR_UNITS, type Minor } from '../money';
import { REF_ID_BASE_PATTERN } from '../refid';
import { resolveCallbackUrl } from './callback';
import { LOCALES, type LineItem, type LinkRecord, type LinkType, type Locale, type Reuse } from './types';
import { LIMITS } from '../limits';

/** The fields a caller may set on create (all optional but `name`), as the API receives them. */
export type LinkInput = Record<string, unknown>;

export interface ExpiryContext {
  now: number;
  timeZone: string;
  /** settings.callbackUrls: what an index in `callbackUrl` means, and (when not empty) the allowed origins. */
  callbackUrls?: readonly string[];
}

const MAX_EXPIRY_MINUTES = 60 * 24 * 366 * 5;

/**
 * Reads the three expiry forms. Returns undefined when none is given, null when the caller
 * cleared expiry (`expiresAt: null`), else the instant in ms.
 */
export function parseExpiry(c: Checker, input: LinkInput, ctx: ExpiryContext): number | null | undefined {
  const given = (['expiresAt', 'expiresOn', 'expiresInMinutes'] as const).filter((k) => input[k] !== undefined && input[k] !== null);
  if (given.length > 1) return c.fail(given[1]!, `give at most one of expiresAt, expiresOn, expiresInMinutes (got ${given.join(', ')})`);
  if (given.length === 0) {
    return input.expiresAt === null || input.expiresOn === null || input.expiresInMinutes === null ? null : undefined;
  }
  const field = given[0]!;
  let at: number | undefined;
  if (field === 'expiresAt') {
    const v = input.expiresAt;
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(v)) {
      return c.fail('expiresAt', 'must be an RFC 3339 date-time with a time zone, e.g. 2026-12-31T18:00:00Z');
    }
    const dt = DateTime.fromISO(v, { setZone: true });
    if (!dt.isValid) return c.fail('expiresAt', 'is not a valid date-time');
    at = dt.toMillis();
  } else if (field === 'expiresOn') {
    const v = input.expiresOn;
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return c.fail('expiresOn', 'must be a date YYYY-MM-DD');
    const dt = DateTime.fromISO(v, { zone: ctx.timeZone });
    if (!dt.isValid) return c.fail('expiresOn', 'is not a valid date');
    at = dt.endOf('day').toMillis();
  } else {
    const minutes = c.integer(input.expiresInMinutes, 'expiresInMinutes', { min: 1, max: MAX_EXPIRY_MINUTES });
    if (minutes === undefined) return undefined;
    at = ctx.now + minutes * 60_000;
  }
  if (at <= ctx.now) return c.fail(field, 'must lie in the future');
  return at;
}

function parseLineItems(c: Checker, value: unknown, currency: string): LineItem[] | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || value.length > LIMITS.lineItems) return c.fail('lineItems', `must be a list of 1-${LIMITS.lineItems} items`);
  const items: LineItem[] = [];
  value.forEach((raw: unknown, i) => {
    const path = `lineItems[${i}]`;
    if (raw === null || typeof raw !== 'object') {
      c.fail(path, 'must be an object {name, quantity, unitAmount}');
      return;
    }
    const item = raw as Record<string, unknown>;
    const name = c.text(item.name, `${path}.name`, { min: 1, max: LIMITS.name });
    const quantity = c.integer(item.quantity ?? 1, `${path}.quantity`, { min: 1, max: LIMITS.quantity });
    const unitAmount = c.amount(item.unitAmount, currency, `${path}.unitAmount`);
    if (name !== undefined && quantity !== undefined && unitAmount !== undefined) items.push({ name, quantity, unitAmount });
  });
  return items;
}

function oneOf<T extends string>(c: Checker, value: unknown, path: string, options: readonly T[]): T | undefined {
  if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
  return c.fail(path, `must be one of ${options.join(', ')}`);
}

function optionalAmount(c: Checker, value: unknown, currency: string, path: string): Minor | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return c.amount(value, currency, path);
}

/**
 * A link's callbackUrl: an absolute http(s) URL, an index into settings.callbackUrls, or two of
 * those comma-separated (success/failure, then cancel). Indexes are resolved here, when the link
 * is saved; once the list has entries, every URL's origin must be on it (core/links/callback.ts).
 */
export function checkCallbackUrl(c: Checker, value: unknown, allowList: readonly string[] = []): string | null | undefined {
  if (value === undefined) return undefined;
  const resolved = resolveCallbackUrl(value, allowList);
  return resolved.ok ? resolved.value : c.fail('callbackUrl', resolved.message);
}

/** The editable part of a link; create fills it from input and defaults, PATCH from the stored link. */
export type LinkDraft = Pick<
  LinkRecord,
  | 'type'
  | 'name'
  | 'description'
  | 'pointOfSaleId'
  | 'amount'
  | 'currency'
  | 'minAmount'
  | 'reuse'
  | 'maxUses'
  | 'perPaymentLimit'
  | 'totalAmountLimit'
  | 'expiresAt'
  | 'locale'
  | 'country'
  | 'metadata'
  | 'reference'
  | 'cancellable'
  | 'callbackUrl'
  | 'lineItems'
  | 'enabled'
>;

/**
 * A new currency keeps the stored amounts' value in major units ("5.00" EUR -> "5" JPY), not
 * their minor-unit count. Amounts the input gives anew are read later in the new currency;
 * one that the new currency cannot express must be given anew.
 */
function rescaleAmounts(c: Checker, draft: LinkDraft, input: LinkInput, to: string): void {
  const diff = currencyExponent(to)! - currencyExponent(draft.currency)!;
  const rescale = (minor: Minor, path: string): Minor | undefined => {
    const scaled = diff >= 0 ? minor * 10 ** diff : minor / 10 ** -diff;
    return Number.isInteger(scaled) ? scaled : c.fail(path, `cannot be expressed in ${to}; give it again`);
  };
  const fields = [
    ['amount', 'amount'],
    ['minAmount', 'minAmount'],
    ['perPaymentLimit', 'perPaymentAmountLimit'],
    ['totalAmountLimit', 'totalAmountLimit'],
  ] as const;
  for (const [field, path] of fields) {
    const value = draft[field];
    if (value !== null && input[path] === undefined) draft[field] = rescale(value, path) ?? value;
  }
  if (draft.lineItems && input.lineItems === undefined) {
    draft.lineItems = draft.lineItems.map((item, i) => ({ ...item, unitAmount: rescale(item.unitAmount, `lineItems[${i}].unitAmount`) ?? item.unitAmount }));
  }
}

/**
 * Applies the given fields of `input` onto `draft` (mutating it), recording field errors.
 * `creating` allows the fields only a new link may set (type, reuse, point of sale).
 */
export function applyLinkInput(c: Checker, draft: LinkDraft, input: LinkInput, ctx: ExpiryContext, creating: boolean): void {
  if (creating) {
    if (input.type !== undefined) draft.type = oneOf<LinkType>(c, input.type, 'type', ['payment', 'accountInfo']) ?? draft.type;
    if (input.reuse !== undefined) draft.reuse = oneOf<Reuse>(c, input.reuse, 'reuse', ['single', 'multiple']) ?? draft.reuse;
  }
  if (input.name !== undefined || creating) draft.name = c.text(input.name, 'name', { min: 1, max: LIMITS.name }) ?? draft.name;
  const description = c.optionalText(input.description, 'description', LIMITS.description);
  if (description !== undefined) draft.description = description;
  const reference = c.optionalText(input.reference, 'reference', LIMITS.reference);
  if (reference !== undefined) draft.reference = reference;

  if (input.currency !== undefined) {
    if (typeof input.currency === 'string' && isCurrency(input.currency)) {
      if (input.currency !== draft.currency) rescaleAmounts(c, draft, input, input.currency);
      draft.currency = input.currency;
    } else c.fail('currency', 'must be an ISO 4217 currency code such as EUR');
  }
  // Amounts are read in the (possibly new) currency, so "1.5" in JPY is refused.
  const cur = draft.currency;
  const amount = optionalAmount(c, input.amount, cur, 'amount');
  if (amount !== undefined) draft.amount = amount;
  const minAmount = optionalAmount(c, input.minAmount, cur, 'minAmount');
  if (minAmount !== undefined) draft.minAmount = minAmount;
  const perPayment = optionalAmount(c, input.perPaymentAmountLimit, cur, 'perPaymentAmountLimit');
  if (perPayment !== undefined) draft.perPaymentLimit = perPayment;
  const total = optionalAmount(c, input.totalAmountLimit, cur, 'totalAmountLimit');
  if (total !== undefined) draft.totalAmountLimit = total;
  const lineItems = parseLineItems(c, input.lineItems, cur);
  if (lineItems !== undefined) draft.lineItems = lineItems;
  if (input.maxUses !== undefined) {
    draft.maxUses = input.maxUses === null ? null : (c.integer(input.maxUses, 'maxUses', { min: 1, max: LIMITS.maxUses }) ?? draft.maxUses);
  }

  const expiry = parseExpiry(c, input, ctx);
  if (expiry !== undefined) draft.expiresAt = expiry;

  if (input.locale !== undefined) draft.locale = oneOf<Locale>(c, input.locale, 'locale', LOCALES) ?? draft.locale;
  if (input.country !== undefined) {
    if (input.country === null || (typeof input.country === 'string' && /^[A-Z]{2}$/.test(input.country))) draft.country = input.country;
    else c.fail('country', 'must be an ISO 3166-1 alpha-2 code such as DE');
  }
  if (input.metadata !== undefined) draft.metadata = checkMetadata(c, input.metadata, 'metadata') ?? draft.metadata;
  if (input.cancellable !== undefined) {
    if (typeof input.cancellable === 'boolean') draft.cancellable = input.cancellable;
    else c.fail('cancellable', 'must be true or false');
  }
  if (input.enabled !== undefined) {
    if (typeof input.enabled === 'boolean') draft.enabled = input.enabled;
    else c.fail('enabled', 'must be true or false');
  }
  const callbackUrl = checkCallbackUrl(c, input.callbackUrl, ctx.callbackUrls);
  if (callbackUrl !== undefined) draft.callbackUrl = callbackUrl;
}

/** Rules that span fields; run on the complete draft after every create or PATCH. */
export function checkLinkConsistency(c: Checker, d: LinkDraft): void {
  if (d.lineItems && d.type === 'payment') {
    const sum = d.lineItems.reduce((s, i) => s + i.quantity * i.unitAmount, 0);
    // The total is an amount like any other: at most MAX_MAJOR_UNITS in major units.
    if (sum >= (MAX_MAJOR_UNITS + 1) * 10 ** (currencyExponent(d.currency) ?? 0)) c.fail('lineItems', `line items add up to more than ${MAX_MAJOR_UNITS}`);
    else if (d.amount === null) d.amount = sum;
    else if (d.amount !== sum) c.fail('lineItems', 'line items must add up to the amount');
  }
  if (d.type === 'accountInfo') {
    for (const [field, v] of [
      ['amount', d.amount],
      ['minAmount', d.minAmount],
      ['perPaymentAmountLimit', d.perPaymentLimit],
      ['totalAmountLimit', d.totalAmountLimit],
      ['lineItems', d.lineItems],
    ] as const) {
      if (v !== null) c.fail(field, 'account-info links take no amounts');
    }
    return;
  }
  if (d.amount !== null && d.minAmount !== null) c.fail('minAmount', 'only for open-amount links (no amount)');
  if (d.reuse === 'single') {
    if (d.maxUses !== null) c.fail('maxUses', 'only for reuse: multiple');
    if (d.totalAmountLimit !== null) c.fail('totalAmountLimit', 'only for reuse: multiple');
  }
  if (d.perPaymentLimit !== null) {
    if (d.amount !== null && d.perPaymentLimit < d.amount) c.fail('perPaymentAmountLimit', 'must be at least the amount');
    if (d.minAmount !== null && d.perPaymentLimit < d.minAmount) c.fail('perPaymentAmountLimit', 'must be at least minAmount');
  }
  if (d.totalAmountLimit !== null) {
    if (d.amount !== null && d.totalAmountLimit < d.amount) c.fail('totalAmountLimit', 'must be at least the amount');
    if (d.minAmount !== null && d.totalAmountLimit < d.minAmount) c.fail('totalAmountLimit', 'must be at least minAmount');
  }
}

export function checkRefIdBase(c: Checker, value: unknown): string | undefined {
  if (typeof value !== 'string' || !REF_ID_BASE_PATTERN.test(value)) {
    return c.fail('refIdBase', 'must be 1-13 characters of A-Z, a-z, 0-9 and -');
  }
  return value;
}
