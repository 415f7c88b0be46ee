import type { ApiClient } from '../api/client';
import type { Page, Payment } from '../api/types';
import { currencyExponent, decimalToMinor, minorToDecimal } from './amount';

/** Payments that brought money in (a refund later lowers the total, not the count). */
const RECEIVED = new Set<Payment['status']>(['succeeded', 'partially_refunded', 'refunded']);

export interface MoneyTotal {
  currency: string;
  amount: string;
}

export interface TodaySummary {
  count: number;
  /** Net of refunds, one per currency, the biggest count first. */
  totals: MoneyTotal[];
  byMethod: { method: string; count: number; totals: MoneyTotal[] }[];
  /** More payments than were fetched: the numbers cover the first ones only. */
  truncated: boolean;
}

class Sums {
  private readonly minor = new Map<string, { minor: number; count: number }>();
  add(currency: string, minor: number): void {
    const cur = this.minor.get(currency) ?? { minor: 0, count: 0 };
    this.minor.set(currency, { minor: cur.minor + minor, count: cur.count + 1 });
  }
  list(): MoneyTotal[] {
    return [...this.minor.entries()]
      .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
      .map(([currency, v]) => ({ currency, amount: minorToDecimal(v.minor, currencyExponent(currency)) }));
  }
}

/** Count and net total of the payments received, overall and per method; amounts in minor units, never floats. */
export function summarizePayments(payments: Payment[], truncated = false): TodaySummary {
  const all = new Sums();
  const methods = new Map<string, { count: number; sums: Sums }>();
  let count = 0;
  for (const p of payments) {
    if (!RECEIVED.has(p.status)) continue;
    const exp = currencyExponent(p.currency);
    const net = (decimalToMinor(p.amount, exp) ?? 0) - (decimalToMinor(p.refundedAmount ?? '0', exp) ?? 0);
    count++;
    all.add(p.currency, net);
    const m = methods.get(p.method) ?? { count: 0, sums: new Sums() };
    m.count++;
    m.sums.add(p.currency, net);
    methods.set(p.method, m);
  }
  return {
    count,
    totals: all.list(),
    byMethod: [...methods.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0])).map(([method, m]) => ({ method, count: m.count, totals: m.sums.list() })),
    truncated,
  };
}

/** Midnight of the local day of `now`, as RFC 3339. */
export function startOfToday(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}

export const TODAY_PAGE = 200;
export const TODAY_MAX_PAGES = 5;

/** Every payment created today (up to TODAY_PAGE × TODAY_MAX_PAGES), summarized. */
export async function fetchToday(api: Pick<ApiClient, 'get'>, now = new Date()): Promise<TodaySummary> {
  const payments: Payment[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < TODAY_MAX_PAGES; i++) {
    const page = await api.get<Page<Payment>>('/api/v1/payments', { limit: TODAY_PAGE, createdAfter: startOfToday(now), ...(cursor ? { cursor } : {}) });
    payments.push(...page.data);
    if (!page.nextCursor) return summarizePayments(payments);
    cursor = page.nextCursor;
  }
  return summarizePayments(payments, true);
}
