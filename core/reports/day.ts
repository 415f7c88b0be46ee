import { DateTime } from 'luxon';
import type { CoreContext, Tx } from '../context';
import { DomainError, notFound, ValidationError } from '../errors';
import { formatAmount } from '../money';
import { newId } from '../ids';
import { toIso } from '../clock';
import { isLive, type Mode } from '../mode';
import type { MethodSums, PeriodQuery } from '../store/repos/reports';

/** One payment method's day: succeeded payments (amount with tips), their tips, refunds made that day. */
export interface DayReportMethod {
  method: string;
  count: number;
  amount: string;
  tips: string;
  refunds: string;
  refundCount: number;
}

/** API.md "Receipts, day reports, exports, tips": the end-of-day report of a point of sale or the shop. */
export interface DayReport {
  date: string;
  pointOfSaleId: string | null;
  currency: string;
  livemode: boolean;
  /** The merchant's zone the day is read in, and the period it covers ([from, to)). */
  timeZone: string;
  from: string;
  to: string;
  byMethod: DayReportMethod[];
  count: number;
  amount: string;
  tips: string;
  refunds: string;
  refundCount: number;
  net: string;
  pending: { count: number; amount: string };
  /** Bank credits that wait for staff; they belong to no point of sale, so only the shop's report counts them. */
  unmatchedBankCredits: { count: number; amount: string };
  /** Currencies of payments in the period that this report (in `currency`) does not add up. */
  otherCurrencies: string[];
  closed: null | { number: number; closedAt: string };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Day reports in the merchant's time zone. A day runs from its local midnight to the next, except
 * where closing moved the line: a closed day ends when it was closed (or at its midnight, when
 * closed later), and the next day starts where the closed one ended, so a payment that completes
 * after the day was closed falls into the next day's report. A closed day's report is stored as it
 * was and never recomputed.
 */
export class DayReportService {
  constructor(private readonly ctx: CoreContext) {}

  /** `YYYY-MM-DD` of today in the merchant's zone. */
  async today(): Promise<string> {
    const { timeZone } = await this.ctx.settings.readMerchant();
    return DateTime.fromMillis(this.ctx.clock.now(), { zone: timeZone }).toISODate()!;
  }

  async get(date: unknown, pointOfSaleId: string | undefined, mode: Mode): Promise<DayReport> {
    await this.ctx.fresh();
    return this.ctx.store.read((t) => this.getIn(t, date, pointOfSaleId, mode));
  }

  async getIn(t: Tx, rawDate: unknown, pointOfSaleId: string | undefined, mode: Mode): Promise<DayReport> {
    const day = await this.day(t, rawDate);
    const livemode = isLive(mode);
    const currency = await this.currencyOf(t, pointOfSaleId);
    const closing = await t.reports.closing(livemode, pointOfSaleId ?? '', day.date);
    if (closing) return closing.report as DayReport;
    return this.compute(t, day, pointOfSaleId, livemode, currency, await this.startOf(t, day, pointOfSaleId, livemode), day.end, null);
  }

  /** Closes the day: its report is computed now, numbered, stored and never changed. 409 when closed already. */
  close(date: unknown, pointOfSaleId: string | undefined, mode: Mode): Promise<DayReport> {
    return this.ctx.store.tx((t) => this.closeIn(t, date, pointOfSaleId, mode));
  }

  /** `close` inside the caller's transaction (an idempotent request saves its answer in the same one). */
  async closeIn(t: Tx, date: unknown, pointOfSaleId: string | undefined, mode: Mode): Promise<DayReport> {
    {
      await t.lock('day-closings');
      const day = await this.day(t, date);
      const livemode = isLive(mode);
      const scope = pointOfSaleId ?? '';
      const currency = await this.currencyOf(t, pointOfSaleId);
      const existing = await t.reports.closing(livemode, scope, day.date);
      if (existing) {
        throw new DomainError('day-closed', `${day.date} was closed already (number ${existing.number}).`, { closed: { number: existing.number, closedAt: toIso(existing.closedAt) } });
      }
      const latest = await t.reports.latestClosing(livemode, scope);
      if (latest && latest.date > day.date) {
        throw new DomainError('day-closed', `A later day (${latest.date}) is closed already: days are closed in order.`, { latestClosedDate: latest.date });
      }
      const now = this.ctx.clock.now();
      const start = await this.startOf(t, day, pointOfSaleId, livemode);
      // Closing before midnight ends the day now; closing a past day ends it at its midnight.
      const end = Math.max(start, Math.min(now, day.end));
      const number = await t.reports.nextClosingNumber(livemode);
      const report = await this.compute(t, day, pointOfSaleId, livemode, currency, start, end, { number, closedAt: toIso(now) });
      const inserted = await t.reports.insertClosing({ id: newId('dc'), livemode, scope, date: day.date, number, periodStart: start, periodEnd: end, report, closedAt: now });
      if (!inserted) throw new DomainError('day-closed', `${day.date} was closed already.`);
      this.ctx.events.append(t, 'day.closed', { date: day.date, pointOfSaleId: pointOfSaleId ?? null, livemode, number, closedAt: toIso(now) });
      return report;
    }
  }

  /** Where a day starts: its midnight, or where the day before ended when that one was closed. */
  private async startOf(t: Tx, day: Day, pointOfSaleId: string | undefined, livemode: boolean): Promise<number> {
    const before = await t.reports.closing(livemode, pointOfSaleId ?? '', day.previous);
    return before ? before.periodEnd : day.start;
  }

  private async currencyOf(t: Tx, pointOfSaleId: string | undefined): Promise<string> {
    if (pointOfSaleId === undefined) return (await this.ctx.settings.merchant(t)).defaultCurrency;
    const pos = await t.pointsOfSale.get(pointOfSaleId);
    if (!pos) throw notFound('point of sale', pointOfSaleId);
    return pos.currency;
  }

  /** A `YYYY-MM-DD` in the merchant's zone that is not in the future; 422 on `date` otherwise. */
  private async day(t: Tx, raw: unknown): Promise<Day> {
    const { timeZone } = await this.ctx.settings.merchant(t);
    const now = DateTime.fromMillis(this.ctx.clock.now(), { zone: timeZone });
    if (raw === undefined || raw === null || raw === '') raw = now.toISODate();
    if (typeof raw !== 'string' || !DATE.test(raw)) throw ValidationError.field('date', 'must be a date YYYY-MM-DD', 'format', { format: 'YYYY-MM-DD' });
    const start = DateTime.fromISO(raw, { zone: timeZone });
    if (!start.isValid) throw ValidationError.field('date', 'is not a calendar date', 'format', { format: 'YYYY-MM-DD' });
    if (raw > now.toISODate()!) throw ValidationError.field('date', 'must not be in the future', 'date-future', { today: now.toISODate()! });
    return {
      date: raw,
      timeZone,
      start: start.startOf('day').toMillis(),
      end: start.plus({ days: 1 }).startOf('day').toMillis(),
      previous: start.minus({ days: 1 }).toISODate()!,
    };
  }

  private async compute(t: Tx, day: Day, pointOfSaleId: string | undefined, livemode: boolean, currency: string, from: number, to: number, closed: DayReport['closed']): Promise<DayReport> {
    const q: PeriodQuery = { livemode, currency, from, to, pointOfSaleId };
    const paid = await t.reports.succeededByMethod(q);
    const refunded = await t.reports.refundsByMethod(q);
    const pending = await t.reports.pending(q);
    const credits = pointOfSaleId === undefined ? await t.reports.unmatchedCredits(q) : { count: 0, amount: 0 };
    const methods = [...new Set([...paid.map((m) => m.method), ...refunded.map((m) => m.method)])].sort();
    const find = (list: MethodSums[], method: string) => list.find((m) => m.method === method) ?? { method, count: 0, amount: 0, tips: 0 };
    const money = (minor: number) => formatAmount(minor, currency);
    const byMethod = methods.map((method) => {
      const p = find(paid, method);
      const r = find(refunded, method);
      return { method, count: p.count, amount: money(p.amount), tips: money(p.tips), refunds: money(r.amount), refundCount: r.count };
    });
    const sum = (list: MethodSums[], key: 'count' | 'amount' | 'tips') => list.reduce((s, m) => s + m[key], 0);
    return {
      date: day.date,
      pointOfSaleId: pointOfSaleId ?? null,
      currency,
      livemode,
      timeZone: day.timeZone,
      from: toIso(from),
      to: toIso(to),
      byMethod,
      count: sum(paid, 'count'),
      amount: money(sum(paid, 'amount')),
      tips: money(sum(paid, 'tips')),
      refunds: money(sum(refunded, 'amount')),
      refundCount: sum(refunded, 'count'),
      net: money(sum(paid, 'amount') - sum(refunded, 'amount')),
      pending: { count: pending.count, amount: money(pending.amount) },
      unmatchedBankCredits: { count: credits.count, amount: money(credits.amount) },
      otherCurrencies: await t.reports.otherCurrencies(q),
      closed,
    };
  }
}

interface Day {
  date: string;
  timeZone: string;
  /** Local midnight at its start and at its end, in ms. */
  start: number;
  end: number;
  previous: string;
}
