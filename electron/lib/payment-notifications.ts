import type { EventView } from '../../core/events';

/**
 * OS notifications for successful payments, read from the event log with a cursor of its own
 * (the same way the event stream and the webhooks read it): the core says "there is something
 * new", the notifier reads everything after its cursor, so nothing is missed or shown twice.
 */

export interface PaymentNotice {
  title: string;
  body: string;
  /** The payment to open when the notification is clicked (null for a summary). */
  paymentId: string | null;
  silent: boolean;
}

/** The part of the core's EventLog the notifier reads. */
export interface EventSource {
  after(afterId: number, limit: number): EventView[] | Promise<EventView[]>;
  lastId(): number | Promise<number>;
  onAppended(listener: () => void): () => void;
}

export interface NotifierPreferences {
  enabled: boolean;
  sound: boolean;
}

interface PaymentData {
  id: string;
  amount: string;
  currency: string;
  refId: string;
  reference: string | null;
}

function paymentData(data: unknown): PaymentData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.id !== 'string' || typeof d.amount !== 'string' || typeof d.currency !== 'string') return undefined;
  return {
    id: d.id,
    amount: d.amount,
    currency: d.currency,
    refId: typeof d.refId === 'string' ? d.refId : '',
    reference: typeof d.reference === 'string' && d.reference.trim() !== '' ? d.reference : null,
  };
}

/**
 * "€12.50" from the API's decimal string, without going through a float: Intl formats the
 * decimal string exactly. Falls back to "12.50 EUR" for anything Intl refuses.
 */
export function formatAmount(amount: string, currency: string, locale?: string): string {
  if (!/^\d{1,12}(\.\d{1,4})?$/.test(amount)) return `${amount} ${currency}`;
  const decimals = amount.includes('.') ? amount.length - amount.indexOf('.') - 1 : 0;
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    return format.format(amount as `${number}`);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** The notification for one event, or null when the event is not a successful payment. */
export function noticeForEvent(event: EventView, prefs: NotifierPreferences, locale?: string): PaymentNotice | null {
  if (event.type !== 'payment.succeeded') return null;
  const p = paymentData(event.data);
  if (!p) return null;
  const parts = [formatAmount(p.amount, p.currency, locale), p.refId, p.reference].filter((s): s is string => !!s);
  return { title: 'Payment received', body: parts.join(' · '), paymentId: p.id, silent: !prefs.sound };
}

/** Many at once (e.g. after a restart with a backlog) become one summary instead of a flood. */
export function batchNotices(notices: PaymentNotice[], maxSeparate: number): PaymentNotice[] {
  if (notices.length <= maxSeparate) return notices;
  const shown = notices.slice(0, 5).map((n) => n.body.split(' · ')[0]);
  const more = notices.length - shown.length;
  return [
    {
      title: `${notices.length} payments received`,
      body: `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
      paymentId: null,
      silent: notices.every((n) => n.silent),
    },
  ];
}

export interface PaymentNotifierOptions {
  events: EventSource;
  show(notice: PaymentNotice): void;
  preferences(): NotifierPreferences;
  locale?: string;
  /** More successful payments than this in one read become one summary notification. */
  maxSeparate?: number;
  onError?(err: unknown): void;
}

const PAGE = 200;

export class PaymentNotifier {
  private cursor = 0;
  private unsubscribe: (() => void) | undefined;
  private pumping: Promise<number> | undefined;
  private again = false;

  constructor(private readonly options: PaymentNotifierOptions) {}

  /** Starts from the end of the log: what happened before the app started is not news. */
  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = () => undefined; // started: a second start() is a no-op
    this.cursor = await this.options.events.lastId();
    this.unsubscribe = this.options.events.onAppended(() => {
      this.pump().catch((err: unknown) => this.options.onError?.(err));
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /**
   * Reads every event after the cursor, shows what is worth showing, resolves to how many were
   * shown. One read at a time: a call during a read is folded into a second read after it.
   */
  pump(): Promise<number> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = this.read().finally(() => {
      this.pumping = undefined;
      if (this.again) {
        this.again = false;
        this.pump().catch((err: unknown) => this.options.onError?.(err));
      }
    });
    return this.pumping;
  }

  private async read(): Promise<number> {
    const prefs = this.options.preferences();
    const notices: PaymentNotice[] = [];
    for (;;) {
      const page = await this.options.events.after(this.cursor, PAGE);
      for (const event of page) {
        this.cursor = Math.max(this.cursor, event.id);
        const notice = prefs.enabled ? noticeForEvent(event, prefs, this.options.locale) : null;
        if (notice) notices.push(notice);
      }
      if (page.length < PAGE) break;
    }
    const batch = batchNotices(notices, this.options.maxSeparate ?? 3);
    for (const notice of batch) this.options.show(notice);
    return batch.length;
  }

  get position(): number {
    return this.cursor;
  }
}
