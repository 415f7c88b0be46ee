import type { Locale } from '../../links/types';
import type { Channel, NotificationKind, MessageCounts, NotificationFilter, NotificationRecord, NotificationStatus, Transport } from '../../notifications/types';
import type { Params, Sql } from '../sql/executor';
import { pageOf } from '../sql/page';
import type { Page, PageQuery } from '../types';

interface NotificationRow {
  seq: number;
  id: string;
  kind: string;
  link_id: string;
  payment_id: string | null;
  channel: string;
  recipient: string;
  locale: string;
  message: string | null;
  status: string;
  attempts: number;
  last_error: string | null;
  transport: string | null;
  cost: number | null;
  cost_currency: string | null;
  provider_message_id: string | null;
  callback_secret_hash: string | null;
  outbox_id: string;
  file: string | null;
  next_attempt_at: number | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  delivered_at: number | null;
  failed_at: number | null;
}

function toNotification(r: NotificationRow): NotificationRecord {
  return {
    seq: r.seq,
    id: r.id,
    kind: r.kind as NotificationKind,
    linkId: r.link_id,
    paymentId: r.payment_id,
    channel: r.channel as Channel,
    recipient: r.recipient,
    locale: r.locale as Locale,
    message: r.message,
    status: r.status as NotificationStatus,
    attempts: r.attempts,
    lastError: r.last_error,
    transport: r.transport as Transport | null,
    cost: r.cost,
    costCurrency: r.cost_currency,
    providerMessageId: r.provider_message_id,
    callbackSecretHash: r.callback_secret_hash,
    outboxId: r.outbox_id,
    file: r.file,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
  };
}

/** Columns a notification change may write (record field -> column). */
const NOTIFICATION_COLUMNS = {
  status: 'status',
  attempts: 'attempts',
  lastError: 'last_error',
  transport: 'transport',
  cost: 'cost',
  costCurrency: 'cost_currency',
  providerMessageId: 'provider_message_id',
  callbackSecretHash: 'callback_secret_hash',
  file: 'file',
  nextAttemptAt: 'next_attempt_at',
  updatedAt: 'updated_at',
  sentAt: 'sent_at',
  deliveredAt: 'delivered_at',
  failedAt: 'failed_at',
} as const satisfies Partial<Record<keyof NotificationRecord, string>>;

export type NotificationChange = Partial<Pick<NotificationRecord, keyof typeof NOTIFICATION_COLUMNS>>;

export type NotificationsRepo = ReturnType<typeof notificationsRepo>;

export function notificationsRepo(sql: Sql) {
  return {
    insert: async (n: Omit<NotificationRecord, 'seq'>): Promise<void> => {
      await sql.run(
        `INSERT INTO notifications (id, kind, link_id, payment_id, channel, recipient, locale, message, status, attempts, last_error, transport,
           cost, cost_currency, provider_message_id, callback_secret_hash, outbox_id, file, next_attempt_at, created_at,
           updated_at, sent_at, delivered_at, failed_at)
         VALUES (@id, @kind, @linkId, @paymentId, @channel, @recipient, @locale, @message, @status, @attempts, @lastError, @transport,
           @cost, @costCurrency, @providerMessageId, @callbackSecretHash, @outboxId, @file, @nextAttemptAt, @createdAt,
           @updatedAt, @sentAt, @deliveredAt, @failedAt)`,
        { ...n },
      );
    },
    get: async (id: string): Promise<NotificationRecord | undefined> => {
      const r = await sql.get<NotificationRow>('SELECT * FROM notifications WHERE id = @id', { id });
      return r && toNotification(r);
    },
    /**
     * Writes `change`; with `onlyIf`, only while the status is one of those (the guard that keeps
     * a late delivery report and the worker's own bookkeeping from undoing each other).
     */
    change: async (id: string, change: NotificationChange, onlyIf?: readonly NotificationStatus[]): Promise<boolean> => {
      const entries = Object.entries(change).filter(([k, v]) => v !== undefined && k in NOTIFICATION_COLUMNS);
      if (entries.length === 0) return false;
      const sets = entries.map(([k]) => `${NOTIFICATION_COLUMNS[k as keyof typeof NOTIFICATION_COLUMNS]} = @${k}`);
      const params: Params = { ...(Object.fromEntries(entries) as Params), id };
      let guard = '';
      if (onlyIf) {
        guard = ` AND status IN (${onlyIf.map((_s, i) => `@s${i}`).join(', ')})`;
        onlyIf.forEach((s, i) => (params[`s${i}`] = s));
      }
      return (await sql.run(`UPDATE notifications SET ${sets.join(', ')} WHERE id = @id${guard}`, params)) === 1;
    },
    /** Creation times of a link's sends (not receipts) since `since`, oldest first (the rate limit's window). */
    createdSince: async (linkId: string, since: number): Promise<number[]> =>
      (
        await sql.all<{ created_at: number }>("SELECT created_at FROM notifications WHERE link_id = @linkId AND kind = 'link' AND created_at > @since ORDER BY created_at", {
          linkId,
          since,
        })
      ).map((r) => r.created_at),
    list: (filter: NotificationFilter, page: PageQuery): Promise<Page<NotificationRecord>> => {
      const clauses: string[] = [];
      const params: Record<string, string> = {};
      if (filter.linkId) {
        clauses.push('n.link_id = @linkId');
        params.linkId = filter.linkId;
      }
      if (filter.kind) {
        clauses.push('n.kind = @kind');
        params.kind = filter.kind;
      }
      if (filter.paymentId) {
        clauses.push('n.payment_id = @paymentId');
        params.paymentId = filter.paymentId;
      }
      if (filter.channel) {
        clauses.push('n.channel = @channel');
        params.channel = filter.channel;
      }
      if (filter.status) {
        clauses.push('n.status = @status');
        params.status = filter.status;
      }
      return pageOf<NotificationRow, NotificationRecord>(sql, 'SELECT n.* FROM notifications n', clauses, params, page, toNotification, 'n');
    },
    /** Messages that reached `sent` in [from, to), counted and priced per channel and currency. */
    sentCounts: async (from: number | undefined, to: number | undefined): Promise<MessageCounts[]> => {
      const clauses = ['sent_at IS NOT NULL'];
      if (from !== undefined) clauses.push('sent_at >= @from');
      if (to !== undefined) clauses.push('sent_at < @to');
      const rows = await sql.all<{ channel: string; currency: string | null; count: number; cost: number }>(
        `SELECT channel, cost_currency AS currency, COUNT(*) AS count, COALESCE(SUM(cost), 0) AS cost FROM notifications
         WHERE ${clauses.join(' AND ')} GROUP BY channel, cost_currency ORDER BY channel, cost_currency NULLS FIRST`,
        { from, to },
      );
      return rows.map((r) => ({ channel: r.channel as Channel, currency: r.currency, count: r.count, cost: r.cost }));
    },
  };
}
