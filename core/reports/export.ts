import { DateTime } from 'luxon';
import type { CoreContext } from '../context';
import { ValidationError } from '../errors';
import { formatAmount } from '../money';
import { toIso } from '../clock';
import { isLive, type Mode } from '../mode';

/** The longest range one export may cover. */
export const EXPORT_MAX_DAYS = 366;
/** Rows read per page: memory stays flat however long the range. */
const PAGE = 500;

export const EXPORT_COLUMNS = [
  'type',
  'id',
  'paymentId',
  'refId',
  'day',
  'time',
  'pointOfSaleId',
  'linkId',
  'method',
  'status',
  'currency',
  'amount',
  'tip',
  'reference',
  'payerName',
  'payerEmail',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; lines end CRLF. */
export function csvLine(fields: (string | null)[]): string {
  return fields.map((f) => (f === null ? '' : /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',') + '\r\n';
}

/**
 * Spreadsheets run a cell that starts with = + - @ as a formula: a payer's name is data, so such
 * text gets a leading apostrophe. Amounts are ours (a refund's "-2.50") and stay as they are.
 */
function text(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

interface DayWindow {
  date: string;
  start: number;
  end: number;
}

export interface PreparedExport {
  filename: string;
  /** CSV text in pieces: the header, then a chunk per page of rows. */
  chunks: AsyncIterable<string>;
}

/** Payments and refunds of a range of days as CSV (README "Exports"). */
export class ExportService {
  constructor(private readonly ctx: CoreContext) {}

  /** Checks the range (422 before anything is sent) and returns the CSV as a stream of chunks. */
  async paymentsCsv(rawFrom: unknown, rawTo: unknown, mode: Mode): Promise<PreparedExport> {
    const { timeZone } = await this.ctx.settings.readMerchant();
    const from = this.date(rawFrom, 'from', timeZone);
    const to = this.date(rawTo, 'to', timeZone);
    if (to < from) throw ValidationError.field('to', 'must not be before from', 'range-order');
    const days = to.diff(from, 'days').days + 1;
    if (days > EXPORT_MAX_DAYS) {
      throw ValidationError.field('to', `the range may cover at most ${EXPORT_MAX_DAYS} days (this one covers ${days})`, 'range-too-long', { maxDays: EXPORT_MAX_DAYS, days });
    }
    const livemode = isLive(mode);
    const windows = await this.windows(from, to, livemode);
    const fromIso = from.toISODate()!;
    const toIsoDate = to.toISODate()!;
    return { filename: `payments-${fromIso}-${toIsoDate}.csv`, chunks: this.rows(windows, livemode) };
  }

  private date(raw: unknown, path: string, zone: string): DateTime {
    if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw ValidationError.field(path, 'must be a date YYYY-MM-DD', 'format', { format: 'YYYY-MM-DD' });
    const d = DateTime.fromISO(raw, { zone });
    if (!d.isValid) throw ValidationError.field(path, 'is not a calendar date', 'format', { format: 'YYYY-MM-DD' });
    return d.startOf('day');
  }

  /** Each day's [start, end): midnight to midnight, moved where a day was closed (as the day reports do). */
  private async windows(from: DateTime, to: DateTime, livemode: boolean): Promise<DayWindow[]> {
    const closings = await this.ctx.store.read((t) => t.reports.closingsBetween(livemode, '', from.minus({ days: 1 }).toISODate()!, to.toISODate()!));
    const closedEnd = new Map(closings.map((c) => [c.date, c.periodEnd]));
    const out: DayWindow[] = [];
    for (let d = from; d <= to; d = d.plus({ days: 1 })) {
      const date = d.toISODate()!;
      const start = closedEnd.get(d.minus({ days: 1 }).toISODate()!) ?? d.toMillis();
      const end = closedEnd.get(date) ?? d.plus({ days: 1 }).toMillis();
      out.push({ date, start, end });
    }
    return out;
  }

  private async *rows(windows: DayWindow[], livemode: boolean): AsyncGenerator<string> {
    const from = windows[0]!.start;
    const to = windows[windows.length - 1]!.end;
    const dayOf = (at: number): string => {
      let lo = 0;
      let hi = windows.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (windows[mid]!.start <= at) lo = mid;
        else hi = mid - 1;
      }
      return windows[lo]!.date;
    };
    yield csvLine([...EXPORT_COLUMNS]);
    yield* pages((after) => this.ctx.store.read((t) => t.reports.exportPayments(livemode, from, to, after, PAGE)), (p) => [
      'payment',
      p.id,
      p.id,
      p.ref_id,
      dayOf(Number(p.completed_at)),
      toIso(Number(p.completed_at)),
      p.point_of_sale_id,
      p.link_id,
      p.method,
      p.status,
      p.currency,
      formatAmount(Number(p.amount), p.currency),
      formatAmount(Number(p.tip_amount), p.currency),
      text(p.reference),
      text(p.payer_name),
      text(p.payer_email),
    ]);
    yield* pages((after) => this.ctx.store.read((t) => t.reports.exportRefunds(livemode, from, to, after, PAGE)), (r) => [
      'refund',
      r.id,
      r.payment_id,
      r.ref_id,
      dayOf(Number(r.created_at)),
      toIso(Number(r.created_at)),
      r.point_of_sale_id,
      r.link_id,
      r.method,
      r.status,
      r.currency,
      formatAmount(-Number(r.amount), r.currency),
      formatAmount(0, r.currency),
      text(r.reference),
      text(r.payer_name),
      text(r.payer_email),
    ]);
  }
}

/** Keyset pages (by `seq`) of rows, one CSV chunk per page, until a page comes back empty. */
async function* pages<R extends { seq: unknown }>(read: (after: number) => Promise<R[]>, row: (r: R) => Parameters<typeof csvLine>[0]): AsyncGenerator<string> {
  let after = 0;
  for (;;) {
    const page = await read(after);
    if (page.length === 0) return;
    yield page.map((r) => csvLine(row(r))).join('');
    after = Number(page[page.length - 1]!.seq);
  }
}
